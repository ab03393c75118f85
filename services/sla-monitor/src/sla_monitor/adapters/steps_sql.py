"""SQL on the clocks' steps; every function runs inside the caller's transaction."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla_monitor.adapters.orm import clocks, steps
from sla_monitor.domain.steps import Step


async def plan(
    session: AsyncSession, appeal_id: uuid.UUID, planned: Sequence[Step], *, fresh: bool = False
) -> None:
    """Set the due times of the appeal's steps that have not fired; a fired step stays.
    `fresh`: a clock just started, with no steps to replace."""
    if not fresh:
        await drop_pending(session, appeal_id)
    await plan_fresh(session, [(appeal_id, planned)])


_ADD_STEPS = text(
    """
    INSERT INTO sla.steps (appeal_id, step, target, share, recipient, due_at)
    SELECT * FROM unnest(CAST(:appeal_id AS uuid[]), CAST(:step AS text[]),
        CAST(:target AS text[]), CAST(:share AS float8[]), CAST(:recipient AS text[]),
        CAST(:due_at AS timestamptz[]))
    ON CONFLICT DO NOTHING
    """
)


async def plan_fresh(
    session: AsyncSession, planned: Iterable[tuple[uuid.UUID, Sequence[Step]]]
) -> None:
    """Add the steps of clocks just started, in one statement however many."""
    steps_ = [(appeal_id, s) for appeal_id, steps_of in planned for s in steps_of]
    if not steps_:
        return
    await session.execute(
        _ADD_STEPS,
        {
            "appeal_id": [a for a, _ in steps_],
            "step": [s.key for _, s in steps_],
            "target": [s.target.value for _, s in steps_],
            "share": [s.share for _, s in steps_],
            "recipient": [s.to.value for _, s in steps_],
            "due_at": [s.due_at for _, s in steps_],
        },
    )


async def drop_pending(
    session: AsyncSession, appeal_id: uuid.UUID, targets: Iterable[str] | None = None
) -> None:
    """Forget the steps that have not fired (all, or those of some targets)."""
    query = delete(steps).where(steps.c.appeal_id == appeal_id, steps.c.fired_at.is_(None))
    if targets is not None:
        query = query.where(steps.c.target.in_(list(targets)))
    await session.execute(query)


# The due steps in due order, each taken by one replica (SKIP LOCKED), marked fired in the
# same statement: a step fires once however many replicas scan.
_FIRE = text(
    """
    WITH due AS (
        SELECT appeal_id, step FROM sla.steps
        WHERE fired_at IS NULL AND due_at <= :now
        ORDER BY due_at LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE sla.steps AS s SET fired_at = :now
    FROM due JOIN sla.clocks AS c ON c.appeal_id = due.appeal_id
    WHERE s.appeal_id = due.appeal_id AND s.step = due.step
    RETURNING s.appeal_id, s.step, s.target, s.share, s.recipient, s.due_at, s.fired_at,
              c.agency_id, c.policy_id, c.policy_version, c.deadline, c.target_seconds,
              c.correlation_id
    """
)


async def fire_due(session: AsyncSession, now: datetime, limit: int) -> list[dict[str, Any]]:
    rows = await session.execute(_FIRE, {"now": now, "limit": limit})
    return [dict(r._mapping) for r in rows]


async def mark_breached(
    session: AsyncSession, ids: list[uuid.UUID], at: datetime
) -> list[dict[str, Any]]:
    """Flag the clocks breached (once); the clocks this flagged."""
    if not ids:
        return []
    rows = await session.execute(
        update(clocks)
        .where(clocks.c.appeal_id.in_(ids), clocks.c.breached_at.is_(None))
        .values(breached_at=at)
        .returning(clocks)
    )
    return [dict(r._mapping) for r in rows]


async def pending(session: AsyncSession, appeal_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(steps).where(steps.c.appeal_id == appeal_id).order_by(steps.c.due_at)
    )
    return [dict(r._mapping) for r in rows]
