"""Deliveries in SQL: stored, claimed under a lease, and moved on only by their lease holder.

Every write after the claim names the lease: a worker that took longer than its lease (and
whose delivery another worker took over) changes nothing.
"""

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from appeals_common.events import AnswerRequested
from ingest.adapters.delivery_orm import deliveries, posted_replies
from ingest.domain.delivery.plan import State, Stored

Row = Mapping[str, Any]


async def find(session: AsyncSession, delivery_id: uuid.UUID) -> Row | None:
    """The delivery, locked for the caller's transaction."""
    found = await session.execute(
        select(deliveries).where(deliveries.c.delivery_id == delivery_id).with_for_update()
    )
    row = found.mappings().first()
    return dict(row) if row is not None else None


def stored(row: Row) -> Stored:
    return Stored(State(row["state"]), row["round"], row["tries"])


async def add(session: AsyncSession, request: AnswerRequested, now: datetime) -> bool:
    """Store a new request as pending; False when it was there already."""
    added = await session.execute(
        insert(deliveries)
        .values(
            delivery_id=request.delivery_id,
            appeal_id=request.appeal_id,
            response_id=request.response_id,
            platform=request.platform.value,
            kind=request.kind.value,
            page_id=request.page_id,
            external_id=request.external_id,
            author_id=request.author_platform_id,
            text=request.text,
            round=request.round,
            state=State.PENDING.value,
            next_try_at=now,
            requested_at=request.requested_at,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["delivery_id"])
        .returning(deliveries.c.delivery_id)
    )
    return added.first() is not None


async def restart(
    session: AsyncSession, delivery_id: uuid.UUID, round_: int, now: datetime
) -> None:
    """An operator's new round: pending again, from the first part not known to be posted."""
    await session.execute(
        update(deliveries)
        .where(deliveries.c.delivery_id == delivery_id)
        .values(
            round=round_,
            state=State.PENDING.value,
            tries=0,
            reason=None,
            detail=None,
            next_try_at=now,
            lease_id=None,
            lease_until=None,
            updated_at=now,
        )
    )


async def claim_due(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int
) -> list[Row]:
    """Due deliveries (pending and due, or sending with a lapsed lease), now `sending` under a
    fresh lease with one more try; each row as it was before, plus its new `lease_id`."""
    due = (
        (
            await session.execute(
                select(deliveries)
                .where(
                    or_(
                        and_(
                            deliveries.c.state == State.PENDING.value,
                            deliveries.c.next_try_at <= now,
                        ),
                        and_(
                            deliveries.c.state == State.SENDING.value,
                            deliveries.c.lease_until <= now,
                        ),
                    )
                )
                .order_by(deliveries.c.next_try_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        .mappings()
        .all()
    )
    claimed: list[Row] = []
    for row in due:
        lease_id = uuid.uuid4()
        await session.execute(
            update(deliveries)
            .where(deliveries.c.delivery_id == row["delivery_id"])
            .values(
                state=State.SENDING.value,
                tries=row["tries"] + 1,
                lease_id=lease_id,
                lease_until=lease_until,
                updated_at=now,
            )
        )
        claimed.append({**row, "lease_id": lease_id, "tries": row["tries"] + 1})
    return claimed


async def record_part(
    session: AsyncSession,
    row: Row,
    *,
    part: int,
    parts_total: int,
    reply_id: str,
    reply_url: str | None,
    echo_id: uuid.UUID,
    now: datetime,
) -> bool:
    """Part `part` (0-based) is posted: remember its reply; the first part's is the answer's."""
    values: dict[str, Any] = {"parts_done": part + 1, "parts_total": parts_total, "updated_at": now}
    if part == 0:
        values |= {"reply_id": reply_id, "reply_url": reply_url}
    moved = await _update_leased(session, row, values)
    if moved:
        await session.execute(
            insert(posted_replies)
            .values(
                response_id=echo_id,
                platform=row["platform"],
                page_id=row["page_id"],
                reply_id=reply_id,
                delivery_id=row["delivery_id"],
                posted_at=now,
            )
            .on_conflict_do_nothing()
        )
    return moved


async def finish(
    session: AsyncSession, row: Row, state: State, now: datetime, **values: Any
) -> bool:
    """Delivered, failed (`reason`, `detail`) or pending again (`next_try_at`), lease released."""
    changes = {"state": state.value, "lease_id": None, "lease_until": None, "updated_at": now}
    return await _update_leased(session, row, changes | values)


async def _update_leased(session: AsyncSession, row: Row, values: Mapping[str, Any]) -> bool:
    changed = await session.execute(
        update(deliveries)
        .where(
            deliveries.c.delivery_id == row["delivery_id"],
            deliveries.c.lease_id == row["lease_id"],
        )
        .values(**values)
        .returning(deliveries.c.delivery_id)
    )
    return changed.first() is not None


async def is_ours(session: AsyncSession, *, response_id: uuid.UUID, appeal_id: uuid.UUID) -> bool:
    """Whether a page's reply on the platform is one we posted: a reply we recorded, or, in the
    moment between a call and its record, any reply of the page to an appeal we are sending to."""
    recorded = await session.execute(
        select(posted_replies.c.delivery_id).where(posted_replies.c.response_id == response_id)
    )
    if recorded.first() is not None:
        return True
    sending = await session.execute(
        select(deliveries.c.delivery_id)
        .where(deliveries.c.appeal_id == appeal_id, deliveries.c.state == State.SENDING.value)
        .limit(1)
    )
    return sending.first() is not None
