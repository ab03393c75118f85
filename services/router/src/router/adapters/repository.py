"""SQL access to the router's tables; every function runs inside the caller's transaction."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from router.adapters.orm import assignments, responses, withdrawals


async def apply_edit(
    session: AsyncSession, appeal_id: uuid.UUID, *, revision: int, text: str, at: datetime | None
) -> bool:
    """Take an edit's text when it is newer than the one stored; False for a stale edit."""
    result = await session.execute(
        update(assignments)
        .where(assignments.c.appeal_id == appeal_id, assignments.c.revision < revision)
        .values(revision=revision, text=text, edited_at=at, version=assignments.c.version + 1)
        .returning(assignments.c.appeal_id)
    )
    return result.first() is not None


async def mark_breached(session: AsyncSession, appeal_id: uuid.UUID, at: datetime) -> None:
    """The SLA monitor found the appeal unanswered past its deadline (kept once)."""
    await session.execute(
        update(assignments)
        .where(assignments.c.appeal_id == appeal_id, assignments.c.breached_at.is_(None))
        .values(breached_at=at)
    )


async def mark_step(session: AsyncSession, appeal_id: uuid.UUID, step: str, at: datetime) -> None:
    """Keep the latest SLA step fired; an older one arriving late changes nothing."""
    await session.execute(
        update(assignments)
        .where(
            assignments.c.appeal_id == appeal_id,
            or_(assignments.c.sla_step_at.is_(None), assignments.c.sla_step_at < at),
        )
        .values(sla_step=step, sla_step_at=at)
    )


async def withdraw(session: AsyncSession, appeal_id: uuid.UUID, at: datetime) -> bool:
    """Record a deletion on the platform; False when it changes nothing (a redelivery, or a
    deletion older than the restore already applied)."""
    new = insert(withdrawals).values(appeal_id=appeal_id, withdrawn_at=at)
    recorded = await session.execute(
        new.on_conflict_do_update(
            index_elements=[withdrawals.c.appeal_id],
            set_={"withdrawn_at": new.excluded.withdrawn_at},
            where=withdrawals.c.withdrawn_at < new.excluded.withdrawn_at,
        ).returning(withdrawals.c.appeal_id)
    )
    if recorded.first() is None:
        return False
    await session.execute(
        update(assignments)
        .where(
            assignments.c.appeal_id == appeal_id,
            assignments.c.withdrawn_at.is_(None),
            # A restore seen first (the two travel on different topics) is newer: it stands.
            or_(assignments.c.edited_at.is_(None), assignments.c.edited_at < at),
        )
        .values(withdrawn_at=at, version=assignments.c.version + 1)
    )
    return True


async def reopen(
    session: AsyncSession, appeal_id: uuid.UUID, at: datetime
) -> dict[str, Any] | None:
    """Put a withdrawn appeal back in its queue when its object was restored at `at`, after
    the deletion; the row as it is now (its routing counted up), or None."""
    row = (
        await session.execute(
            update(assignments)
            .where(
                assignments.c.appeal_id == appeal_id,
                assignments.c.withdrawn_at.is_not(None),
                assignments.c.withdrawn_at < at,
            )
            .values(
                withdrawn_at=None,
                routing=assignments.c.routing + 1,
                version=assignments.c.version + 1,
            )
            .returning(assignments)
        )
    ).first()
    return dict(row._mapping) if row else None


async def get_assignment(
    session: AsyncSession, appeal_id: uuid.UUID, *, for_update: bool = False
) -> dict[str, Any] | None:
    """One assignment; `for_update` locks it until the transaction ends (a change follows)."""
    query = select(assignments).where(assignments.c.appeal_id == appeal_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return dict(row._mapping) if row else None


async def add_response(
    session: AsyncSession,
    *,
    response_id: uuid.UUID,
    appeal_id: uuid.UUID,
    agency_id: str | None,
    channel: str,
    text: str | None,
    at: datetime,
) -> bool:
    """Store a response and mark the appeal answered (the first answer's time is kept).

    False when this response was already stored (a redelivered platform answer).
    """
    result = await session.execute(
        insert(responses)
        .values(
            response_id=response_id,
            appeal_id=appeal_id,
            agency_id=agency_id,
            channel=channel,
            text=text,
            created_at=at,
        )
        .on_conflict_do_nothing(index_elements=[responses.c.response_id])
        .returning(responses.c.response_id)
    )
    if result.first() is None:
        return False
    await session.execute(
        update(assignments)
        .where(assignments.c.appeal_id == appeal_id, assignments.c.answered_at.is_(None))
        .values(answered_at=at, version=assignments.c.version + 1)
    )
    return True
