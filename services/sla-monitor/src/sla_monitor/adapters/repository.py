"""SQL on the SLA clocks; every function runs inside the caller's transaction."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from sla_monitor.adapters.orm import clocks

# The columns a clock starts with, and their types for unnest: one statement for a batch.
_STARTED = {
    "appeal_id": "uuid", "agency_id": "text", "urgent": "boolean", "written_at": "timestamptz",
    "routed_at": "timestamptz", "deadline": "timestamptz", "target_seconds": "integer",
    "correlation_id": "text", "topic": "text", "policy_id": "text", "policy_version": "integer",
    "clock_started_at": "timestamptz", "paused_seconds": "float8", "extra_seconds": "float8",
}  # fmt: skip
_START_CLOCKS = text(
    f"""
    INSERT INTO sla.clocks AS c ({", ".join(_STARTED)})
    SELECT * FROM unnest({", ".join(f"CAST(:{k} AS {t}[])" for k, t in _STARTED.items())})
    ON CONFLICT (appeal_id) DO UPDATE
    SET {", ".join(f"{k} = excluded.{k}" for k in _STARTED if k != "appeal_id")}
    WHERE c.deadline IS NULL
    RETURNING c.*
    """
)


async def start_clocks(
    session: AsyncSession, values: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Set the appeals' deadlines once (one row each, `_STARTED`'s columns); the rows this
    call set. A redelivered appeal already has its deadline and is not returned."""
    if not values:
        return []
    columns = {k: [v[k] for v in values] for k in _STARTED}
    return [dict(r._mapping) for r in await session.execute(_START_CLOCKS, columns)]


async def move_clock(
    session: AsyncSession, appeal_id: uuid.UUID, *, agency_id: str, routing: int, at: datetime
) -> bool:
    """Follow a newer routing (made at `at`): the clock goes to its agency, and an appeal
    withdrawn before it is live again (it was restored); False for a stale or repeated one."""
    result = await session.execute(
        update(clocks)
        .where(clocks.c.appeal_id == appeal_id, clocks.c.routing < routing)
        .values(
            agency_id=agency_id,
            routing=routing,
            rerouted_at=at,
            withdrawn_at=case((clocks.c.withdrawn_at < at, None), else_=clocks.c.withdrawn_at),
        )
        .returning(clocks.c.appeal_id)
    )
    return result.first() is not None


async def stop_clock(
    session: AsyncSession, appeal_id: uuid.UUID, answered_at: datetime
) -> dict[str, Any] | None:
    """Record the first answer; return the row if this call recorded it, None otherwise."""
    new = insert(clocks).values(appeal_id=appeal_id, answered_at=answered_at)
    stmt = new.on_conflict_do_update(
        index_elements=[clocks.c.appeal_id],
        set_={"answered_at": new.excluded.answered_at},
        where=clocks.c.answered_at.is_(None),
    ).returning(clocks)
    row = (await session.execute(stmt)).first()
    return dict(row._mapping) if row else None


async def resolve_clock(session: AsyncSession, appeal_id: uuid.UUID, at: datetime) -> bool:
    """Record the final answer once; True when this call recorded it."""
    result = await session.execute(
        update(clocks)
        .where(clocks.c.appeal_id == appeal_id, clocks.c.resolved_at.is_(None))
        .values(resolved_at=at)
        .returning(clocks.c.appeal_id)
    )
    return result.first() is not None


async def withdraw_clock(
    session: AsyncSession, appeal_id: uuid.UUID, withdrawn_at: datetime
) -> dict[str, Any] | None:
    """Record a deletion once (before or after the routing); the row if this call recorded it."""
    new = insert(clocks).values(appeal_id=appeal_id, withdrawn_at=withdrawn_at)
    stmt = new.on_conflict_do_update(
        index_elements=[clocks.c.appeal_id],
        set_={"withdrawn_at": new.excluded.withdrawn_at},
        where=clocks.c.withdrawn_at.is_(None)
        # A routing made after this deletion (a restore seen first) stands.
        & or_(clocks.c.rerouted_at.is_(None), clocks.c.rerouted_at < new.excluded.withdrawn_at),
    ).returning(clocks)
    row = (await session.execute(stmt)).first()
    return dict(row._mapping) if row else None


async def close_clock(
    session: AsyncSession, appeal_id: uuid.UUID, closed_at: datetime, reason: str
) -> dict[str, Any] | None:
    """Record an operator's closing once (before or after the routing); the row if recorded."""
    new = insert(clocks).values(appeal_id=appeal_id, closed_at=closed_at, closed_reason=reason)
    stmt = new.on_conflict_do_update(
        index_elements=[clocks.c.appeal_id],
        set_={"closed_at": new.excluded.closed_at, "closed_reason": new.excluded.closed_reason},
        where=clocks.c.closed_at.is_(None),
    ).returning(clocks)
    row = (await session.execute(stmt)).first()
    return dict(row._mapping) if row else None


async def update_clock(session: AsyncSession, appeal_id: uuid.UUID, **values: Any) -> None:
    await session.execute(update(clocks).where(clocks.c.appeal_id == appeal_id).values(**values))


async def get_clock(
    session: AsyncSession, appeal_id: uuid.UUID, *, lock: bool = False
) -> dict[str, Any] | None:
    """The clock; `lock` holds it until the transaction ends (read, then change)."""
    query = select(clocks).where(clocks.c.appeal_id == appeal_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return dict(row._mapping) if row else None
