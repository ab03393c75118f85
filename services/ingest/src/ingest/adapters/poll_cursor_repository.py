"""SQL access to `ingest.poll_cursors`: which polled page is due, claimed by one process at a
time, and where its last poll stopped. Times come from the caller's clock."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ingest.adapters.orm import poll_cursors

# Two parameters a row; PostgreSQL takes at most 32,767 in one statement.
_ROWS_PER_INSERT = 1000


@dataclass(frozen=True)
class Claim:
    """A page this process may poll until `lease_id` is replaced (its lease ran out)."""

    page_id: str
    cursor: dict[str, Any]
    failures: int
    lease_id: uuid.UUID


async def ensure_rows(session: AsyncSession, page_ids: Iterable[str], *, now: datetime) -> None:
    """A row, due now, for each polled page that has none yet."""
    rows = [{"page_id": page_id, "next_poll_at": now} for page_id in page_ids]
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        await session.execute(insert(poll_cursors).values(chunk).on_conflict_do_nothing())


async def claim_due(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int
) -> list[Claim]:
    """Lease up to `limit` due pages that no other transaction holds (SKIP LOCKED)."""
    due = (
        select(poll_cursors.c.page_id)
        .where(poll_cursors.c.next_poll_at <= now)
        .order_by(poll_cursors.c.next_poll_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    lease_id = uuid.uuid4()
    result = await session.execute(
        update(poll_cursors)
        .where(poll_cursors.c.page_id.in_(due.scalar_subquery()))
        .values(lease_id=lease_id, next_poll_at=lease_until)
        .returning(poll_cursors.c.page_id, poll_cursors.c.cursor, poll_cursors.c.failures)
    )
    return [Claim(row.page_id, dict(row.cursor or {}), row.failures, lease_id) for row in result]


async def advance(
    session: AsyncSession, claim: Claim, *, cursor: dict[str, Any], next_at: datetime, now: datetime
) -> bool:
    """Store the new cursor and the next poll; False when the lease was lost meanwhile."""
    return await _release(
        session, claim, cursor=cursor, failures=0, next_poll_at=next_at, polled_at=now
    )


async def record_failure(session: AsyncSession, claim: Claim, *, next_at: datetime) -> bool:
    """Count a failed poll and schedule the retry; the cursor stays where it was."""
    return await _release(session, claim, failures=claim.failures + 1, next_poll_at=next_at)


async def _release(session: AsyncSession, claim: Claim, **values: Any) -> bool:
    result = await session.execute(
        update(poll_cursors)
        .where(poll_cursors.c.page_id == claim.page_id, poll_cursors.c.lease_id == claim.lease_id)
        .values(lease_id=None, **values)
        .returning(poll_cursors.c.page_id)
    )
    return result.first() is not None
