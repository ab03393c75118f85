"""The agencies' work queues and responses."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from router.adapters import repository
from router.domain.agencies import Agency
from router.domain.queues import QueueStatus, status_of
from router.domain.reassignment import ReassignAppeal, ReassignmentConflict, UnknownAgency
from router.entrypoints.schemas import (
    AgencyRead,
    AppealRead,
    QueueRead,
    ReassignmentCreate,
    ResponseCreate,
    ResponseRead,
)
from router.handlers import AppealNotFound, RouterDeps, reassign_appeal, record_response

router = APIRouter(tags=["queues"])


async def _deps(request: Request) -> RouterDeps:
    deps: RouterDeps = request.app.state.service.deps
    return deps


DepsDep = Annotated[RouterDeps, Depends(_deps)]


def _agency_read(agency: Agency) -> AgencyRead:
    return AgencyRead(
        id=agency.id,
        name=agency.name,
        body_type=agency.body_type,
        territory=agency.territory,
        topics=list(agency.topics),
    )


def _appeal_read(row: dict[str, Any]) -> AppealRead:
    return AppealRead(**row, status=status_of(row["answered_at"], row["withdrawn_at"]))


@router.get("/v1/agencies")
async def list_agencies(deps: DepsDep) -> list[AgencyRead]:
    """The agency directory."""
    return [_agency_read(a) for a in deps.directory.agencies]


@router.get("/v1/queues/{agency_id}")
async def get_queue(
    agency_id: str,
    deps: DepsDep,
    status_: Annotated[QueueStatus, Query(alias="status")] = "open",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> QueueRead:
    """An agency's appeals by status (open, answered, withdrawn): urgent first, then oldest."""
    agency = deps.directory.get(agency_id)
    if agency is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no agency {agency_id!r}")
    async with deps.sessions() as session:
        rows, total = await repository.list_queue(
            session, agency_id, status=status_, limit=limit, offset=offset
        )
    return QueueRead(
        agency=_agency_read(agency),
        status=status_,
        total=total,
        items=[_appeal_read(r) for r in rows],
    )


@router.get("/v1/appeals/{appeal_id}")
async def get_appeal(appeal_id: uuid.UUID, deps: DepsDep) -> AppealRead:
    """One routed appeal."""
    async with deps.sessions() as session:
        row = await repository.get_assignment(session, appeal_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"appeal {appeal_id} has not been routed")
    return _appeal_read(row)


@router.post("/v1/appeals/{appeal_id}/response", status_code=status.HTTP_201_CREATED)
async def post_response(
    appeal_id: uuid.UUID, response_in: ResponseCreate, deps: DepsDep
) -> ResponseRead:
    """Record the agency's answer; the first one stops the appeal's SLA clock."""
    try:
        response_id, answered_at = await record_response(appeal_id, response_in.text, deps)
    except AppealNotFound as exc:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"appeal {appeal_id} has not been routed"
        ) from exc
    return ResponseRead(response_id=response_id, appeal_id=appeal_id, answered_at=answered_at)


@router.post("/v1/appeals/{appeal_id}/reassign")
async def post_reassignment(
    appeal_id: uuid.UUID, reassignment_in: ReassignmentCreate, deps: DepsDep
) -> AppealRead:
    """Move an appeal to another agency (a ЦУР operator's triage) and/or correct its topic."""
    command = ReassignAppeal(appeal_id=appeal_id, **reassignment_in.model_dump())
    try:
        row = await reassign_appeal(command, deps)
    except AppealNotFound as exc:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"appeal {appeal_id} has not been routed"
        ) from exc
    except UnknownAgency as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    except ReassignmentConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return _appeal_read(row)
