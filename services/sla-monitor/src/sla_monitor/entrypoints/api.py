"""Read-only SLA views: one appeal's clock, and the backlog per agency.

Who may call: ЦУР operators and the governor's office read every clock; agency staff the
clocks of their own agencies (another agency's appeal answers 404); administrators none.
"""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field

from appeals_common.auth import Principal
from appeals_common.auth.http import PrincipalDep
from sla_monitor.adapters import backlog_sql, repository, steps_sql
from sla_monitor.domain.access import can_see, reads_sla, visible_agencies
from sla_monitor.domain.sla import SlaState, state_of
from sla_monitor.handlers import SlaDeps

router = APIRouter(tags=["sla"])


class StepRead(BaseModel):
    step: str = Field(description="warning-50, breach, escalation-1, resolution, ...")
    target: str = Field(description="first_response or resolution")
    recipient: str = Field(description="agency, head, parent_head, cur_supervisor, ...")
    due_at: datetime
    fired_at: datetime | None


class ClockRead(BaseModel):
    appeal_id: uuid.UUID
    agency_id: str | None
    urgent: bool | None
    written_at: datetime | None
    deadline: datetime | None
    answered_at: datetime | None
    breached_at: datetime | None
    withdrawn_at: datetime | None
    closed_at: datetime | None
    state: SlaState
    policy_id: str | None = None
    policy_version: int | None = None
    steps: list[StepRead] = Field(
        default=[], description="fired, and still due; those an answer made moot are gone"
    )


class AgencyBacklog(BaseModel):
    agency_id: str
    open: int
    overdue: int


def _deps(request: Request) -> SlaDeps:
    deps: SlaDeps = request.app.state.service.deps
    return deps


def _require_reader(principal: Principal) -> None:
    if not reads_sla(principal):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "your role does not read SLA clocks")


@router.get("/v1/sla/appeals/{appeal_id}")
async def get_clock(appeal_id: uuid.UUID, request: Request, principal: PrincipalDep) -> ClockRead:
    """Where one appeal's SLA clock stands."""
    _require_reader(principal)
    async with _deps(request).sessions() as session:
        row = await repository.get_clock(session, appeal_id)
        steps = await steps_sql.pending(session, appeal_id) if row is not None else []
    if row is None or not can_see(principal, row["agency_id"]):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no SLA clock for appeal {appeal_id}")
    fields = {k: row[k] for k in ClockRead.model_fields if k in row}
    return ClockRead(
        **fields,
        steps=[StepRead(**{k: s[k] for k in StepRead.model_fields}) for s in steps],
        state=state_of(
            row["deadline"],
            row["answered_at"],
            datetime.now(UTC),
            row["withdrawn_at"],
            row["closed_at"],
        ),
    )


@router.get("/v1/sla/backlog")
async def get_backlog(request: Request, principal: PrincipalDep) -> list[AgencyBacklog]:
    """Unanswered appeals per agency (those the caller sees) and how many are overdue."""
    _require_reader(principal)
    agencies = visible_agencies(principal)
    async with _deps(request).sessions() as session:
        backlog = await backlog_sql.counts(session, agencies)
    items = [AgencyBacklog(agency_id=a, open=o, overdue=d) for a, (o, d) in backlog.items()]
    return sorted(items, key=lambda b: (-b.overdue, -b.open, b.agency_id))
