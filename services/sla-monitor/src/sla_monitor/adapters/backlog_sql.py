"""The backlog counts: deltas written with each change of a clock (no hot row to wait for),
folded into one row per body on every scan tick by whichever replica comes first."""

from collections.abc import Iterable

from sqlalchemy import func, select, text, union_all
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from sla_monitor.adapters.orm import backlog, backlog_deltas
from sla_monitor.domain.backlog import Delta


async def record(session: AsyncSession, deltas: Iterable[Delta]) -> None:
    """Write the deltas, one row per body (a batch of clocks moves few bodies)."""
    totals: dict[str, tuple[int, int]] = {}
    for agency, open_, overdue in deltas:
        was_open, was_overdue = totals.get(agency, (0, 0))
        totals[agency] = was_open + open_, was_overdue + overdue
    rows = [{"agency_id": a, "open": o, "overdue": d} for a, (o, d) in totals.items() if o or d]
    if rows:
        await session.execute(insert(backlog_deltas), rows)


# Each delta is deleted and added in one statement: folded once, however many replicas fold.
_FOLD = text(
    """
    WITH folded AS (DELETE FROM sla.backlog_deltas RETURNING agency_id, open, overdue)
    INSERT INTO sla.backlog (agency_id, open, overdue)
    SELECT agency_id, sum(open), sum(overdue) FROM folded GROUP BY agency_id
    ON CONFLICT (agency_id) DO UPDATE
    SET open = sla.backlog.open + excluded.open, overdue = sla.backlog.overdue + excluded.overdue
    """
)


async def fold(session: AsyncSession) -> None:
    await session.execute(_FOLD)


async def counts(
    session: AsyncSession, agencies: frozenset[str] | None = None
) -> dict[str, tuple[int, int]]:
    """Per body (of `agencies`, or all) with appeals open: open, and of them overdue; the
    deltas not folded yet are added in, so a read is as fresh as the last change."""
    parts = union_all(
        *(select(t.c.agency_id, t.c.open, t.c.overdue) for t in (backlog, backlog_deltas))
    ).subquery()
    query = select(parts.c.agency_id, func.sum(parts.c.open), func.sum(parts.c.overdue))
    if agencies is not None:
        query = query.where(parts.c.agency_id.in_(sorted(agencies)))
    rows = await session.execute(query.group_by(parts.c.agency_id))
    return {agency: (int(o), int(d)) for agency, o, d in rows if o > 0}
