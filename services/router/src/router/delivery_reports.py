"""What the delivery worker reports of each answer: delivered (with the reply's link) or
failed (with why); the card shows it, and the operators decide on the failures."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from appeals_common.events import AnswerDelivered, AnswerFailed, Envelope
from router.adapters.orm import deliveries
from router.domain.deliveries import Delivery, DeliveryState, on_report
from router.handlers import RouterDeps


async def handle_answer_delivered(event: Envelope[AnswerDelivered], deps: RouterDeps) -> None:
    report = event.payload
    values = {
        "reply_id": report.reply_id,
        "reply_url": report.reply_url,
        "parts": report.parts,
        "reason": None,
        "detail": None,
    }
    await _apply(deps, report.delivery_id, True, report.round, report.delivered_at, values)


async def handle_answer_failed(event: Envelope[AnswerFailed], deps: RouterDeps) -> None:
    report = event.payload
    values = {"reason": report.reason.value, "detail": report.detail}
    await _apply(deps, report.delivery_id, False, report.round, report.failed_at, values)


async def _apply(
    deps: RouterDeps,
    delivery_id: uuid.UUID,
    delivered: bool,
    round_: int,
    at: datetime,
    values: dict[str, Any],
) -> bool:
    """Store the report when it moves the delivery on; a redelivered or stale one does not."""
    async with deps.sessions() as session, session.begin():
        row = (
            await session.execute(
                select(deliveries.c.state, deliveries.c.round)
                .where(deliveries.c.delivery_id == delivery_id)
                .with_for_update()
            )
        ).first()
        if row is None:
            return False  # not ours (another router's database) or not stored: nothing to show
        state = on_report(
            Delivery(DeliveryState(row.state), row.round), delivered=delivered, round_=round_
        )
        if state is None:
            return False
        await session.execute(
            update(deliveries)
            .where(deliveries.c.delivery_id == delivery_id)
            .values(state=state.value, updated_at=at, **values)
        )
    return True
