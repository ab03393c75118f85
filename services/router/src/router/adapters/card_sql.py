"""What the appeal card shows beside the appeal: its answers, notes and history."""

import uuid
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from router.adapters.orm import audit_log, deliveries, notes, responses, text_revisions


async def _of(
    session: AsyncSession, table: Table, appeal_id: uuid.UUID, order: Any
) -> list[dict[str, Any]]:
    query = select(table).where(table.c.appeal_id == appeal_id).order_by(order)
    return [dict(r._mapping) for r in await session.execute(query)]


async def card_parts(
    session: AsyncSession, appeal_id: uuid.UUID
) -> dict[str, list[dict[str, Any]]]:
    """Answers (each with its deliveries), notes and text revisions oldest first; the audit
    trail as it was written."""
    return {
        "answers": await answers_of(session, appeal_id),
        "notes": await _of(session, notes, appeal_id, notes.c.created_at),
        "history": await _of(session, audit_log, appeal_id, audit_log.c.id),
        "revisions": await _of(session, text_revisions, appeal_id, text_revisions.c.revision),
    }


async def answers_of(session: AsyncSession, appeal_id: uuid.UUID) -> list[dict[str, Any]]:
    """The appeal's answers oldest first, each with its deliveries."""
    answers = await _of(session, responses, appeal_id, responses.c.created_at)
    posted = await _of(session, deliveries, appeal_id, deliveries.c.requested_at)
    for answer in answers:
        answer["deliveries"] = [d for d in posted if d["response_id"] == answer["response_id"]]
    return answers
