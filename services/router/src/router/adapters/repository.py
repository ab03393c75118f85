"""SQL access to the router's tables; every function runs inside the caller's transaction."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from router.adapters.orm import assignments, responses


async def add_assignment(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert an assignment; False when the appeal was already routed (a redelivery)."""
    result = await session.execute(
        insert(assignments)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[assignments.c.appeal_id])
        .returning(assignments.c.appeal_id)
    )
    return result.first() is not None


async def get_assignment(session: AsyncSession, appeal_id: uuid.UUID) -> dict[str, Any] | None:
    row = (
        await session.execute(select(assignments).where(assignments.c.appeal_id == appeal_id))
    ).first()
    return dict(row._mapping) if row else None


async def list_queue(
    session: AsyncSession, agency_id: str, *, answered: bool, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """An agency's appeals, urgent first then oldest first, and how many there are in all."""
    condition = (assignments.c.agency_id == agency_id) & (
        assignments.c.answered_at.is_not(None) if answered else assignments.c.answered_at.is_(None)
    )
    rows = await session.execute(
        select(assignments)
        .where(condition)
        .order_by(assignments.c.urgent.desc(), assignments.c.written_at, assignments.c.appeal_id)
        .limit(limit)
        .offset(offset)
    )
    total = await session.scalar(select(func.count()).select_from(assignments).where(condition))
    return [dict(r._mapping) for r in rows], int(total or 0)


async def add_response(
    session: AsyncSession, *, appeal_id: uuid.UUID, agency_id: str, text: str, at: datetime
) -> uuid.UUID:
    """Store a response and mark the appeal answered (the first answer's time is kept)."""
    response_id = uuid.uuid4()
    await session.execute(
        insert(responses).values(
            response_id=response_id,
            appeal_id=appeal_id,
            agency_id=agency_id,
            text=text,
            created_at=at,
        )
    )
    await session.execute(
        update(assignments)
        .where(assignments.c.appeal_id == appeal_id, assignments.c.answered_at.is_(None))
        .values(answered_at=at)
    )
    return response_id
