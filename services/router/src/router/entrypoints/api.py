"""Reading the queues: the caller's identity, the directory, queue pages and appeal cards.

Who may call: any authenticated user reads /v1/me and the directory; agency staff read their
agencies' appeals (and those of the institutions under them), ЦУР operators and the
governor's office read every appeal; administrators read no appeals.
"""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from appeals_common.auth.http import PrincipalDep
from router.adapters import card_sql, queue_sql
from router.adapters.repository import get_assignment
from router.domain.access import Action, can_see, may, region_wide, visible_agencies
from router.domain.gazetteer import oktmo_within
from router.domain.queues import ClaimFilter, Cursor, DueFilter, QueueFilter, QueueStatus
from router.entrypoints.deps import DepsDep
from router.entrypoints.schemas import (
    AgencyRead,
    AnswerRead,
    AppealCard,
    AppealPage,
    HistoryRead,
    Me,
    NoteRead,
    QueueRead,
    RevisionRead,
)
from router.entrypoints.views import agency_read, appeal_read, etag
from router.handlers import RouterDeps

router = APIRouter(tags=["queues"])

Id = Annotated[str, Query(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]


@router.get("/v1/me")
async def me(principal: PrincipalDep, deps: DepsDep) -> Me:
    """Who the token says the caller is, and whose appeals they see."""
    visible = visible_agencies(principal, deps.directory)
    return Me(
        subject=principal.subject,
        name=principal.display_name,
        roles=sorted(principal.roles),
        agencies=sorted(visible or ()),
        region_wide=region_wide(principal),
    )


@router.get("/v1/agencies")
async def list_agencies(_: PrincipalDep, deps: DepsDep) -> list[AgencyRead]:
    """The agency directory (public information: any authenticated user)."""
    return [agency_read(a) for a in deps.directory.agencies]


@router.get("/v1/appeals")
async def list_appeals(
    principal: PrincipalDep,
    deps: DepsDep,
    status_: Annotated[QueueStatus, Query(alias="status")] = "open",
    agency_id: Id | None = None,
    topic: Id | None = None,
    urgent: bool | None = None,
    platform: Id | None = None,
    claimed: ClaimFilter = "any",
    due: DueFilter = "any",
    territory: Annotated[
        str | None, Query(pattern=r"^[0-9]{8}([0-9]{3})?$", description="an OKTMO code")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AppealPage:
    """The appeals the caller sees, filtered, the soonest deadline first; a cursor pages on."""
    _require_read(principal)
    agencies = visible_agencies(principal, deps.directory)
    if agency_id is not None:
        agencies = frozenset({agency_id}) & (agencies if agencies is not None else {agency_id})
    if territory is not None:  # the bodies of a territory: an OKTMO code and the codes under it
        local = frozenset(
            a.id for a in deps.directory.agencies
            if any(oktmo_within(own, territory) for own in a.territory)
        )  # fmt: skip
        agencies = local & agencies if agencies is not None else local
    queue = QueueFilter(agencies, status_, topic, urgent, platform, claimed, due)
    return await _page(deps, queue, principal.subject, cursor, limit)


@router.get("/v1/queues/{agency_id}")
async def get_queue(
    agency_id: str,
    principal: PrincipalDep,
    deps: DepsDep,
    status_: Annotated[QueueStatus, Query(alias="status")] = "open",
    claimed: ClaimFilter = "any",
    due: DueFilter = "any",
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> QueueRead:
    """One agency's queue; 404 for an agency the caller does not see."""
    _require_read(principal)
    agency = deps.directory.get(agency_id)
    if agency is None or not can_see(principal, agency_id, deps.directory):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such agency")
    queue = QueueFilter(frozenset({agency_id}), status_, claimed=claimed, due=due)
    page = await _page(deps, queue, principal.subject, cursor, limit)
    return QueueRead(**page.model_dump(), agency=agency_read(agency))


@router.get("/v1/appeals/{appeal_id}")
async def get_appeal(
    appeal_id: uuid.UUID, principal: PrincipalDep, deps: DepsDep, response: Response
) -> AppealCard:
    """The appeal card: the appeal, its answers, notes and history; its version as ETag."""
    _require_read(principal)
    async with deps.sessions() as session:
        row = await get_assignment(session, appeal_id)
        if row is None or not can_see(principal, row["agency_id"], deps.directory):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no appeal {appeal_id}")
        parts = await card_sql.card_parts(session, appeal_id)
    response.headers["ETag"] = etag(row["version"])
    return AppealCard(
        appeal=appeal_read(row, deps.directory, datetime.now(UTC)),
        answers=[AnswerRead(**a) for a in parts["answers"]],
        notes=[NoteRead(**n) for n in parts["notes"]],
        history=[HistoryRead(**h) for h in parts["history"]],
        revisions=[RevisionRead(**r) for r in parts["revisions"]],
    )


def _require_read(principal: PrincipalDep) -> None:
    if not may(principal, Action.READ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "your role does not read appeals")


async def _page(
    deps: RouterDeps, queue: QueueFilter, me: str, cursor: str | None, limit: int
) -> AppealPage:
    try:
        after = Cursor.decode(cursor) if cursor else None
    except ValueError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    now = datetime.now(UTC)
    async with deps.sessions() as session:
        rows, next_cursor = await queue_sql.list_page(
            session, queue, me=me, now=now, after=after, limit=limit
        )
        counts = await queue_sql.counts(session, queue, me=me, now=now)
    return AppealPage(
        items=[appeal_read(r, deps.directory, now) for r in rows],
        total=_total(counts, queue.status),
        counts=counts,
        next_cursor=next_cursor.encode() if next_cursor else None,
        status=queue.status,
    )


def _total(counts: dict[str, int], status_: QueueStatus) -> int:
    if status_ != "all":
        return counts[status_]
    return sum(counts[s] for s in ("open", "answered", "withdrawn", "merged", "not_appeal"))
