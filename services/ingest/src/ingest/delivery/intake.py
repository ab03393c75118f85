"""Answer requests from the router, stored as deliveries (idempotently: a redelivered request
changes nothing); the offset is committed only after the row is."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import enqueue
from appeals_common.events import AnswerRequested, Envelope
from appeals_common.topics import ANSWERS_DELIVERED
from ingest.adapters import delivery_repository as repository
from ingest.adapters.delivery_orm import outbox
from ingest.domain.delivery import announce, plan


@dataclass(frozen=True)
class IntakeDeps:
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    requested: Callable[[], None]  # wakes the worker
    published: Callable[[], None]  # wakes the outbox relay


async def handle_answer_requested(event: Envelope[AnswerRequested], deps: IntakeDeps) -> None:
    request, now = event.payload, deps.clock()
    async with deps.sessions() as session, session.begin():
        row = await repository.find(session, request.delivery_id)
        intake = plan.on_request(None if row is None else repository.stored(row), request.round)
        if intake is plan.Intake.NEW:
            await repository.add(session, request, now)
        elif intake is plan.Intake.RETRY:
            await repository.restart(session, request.delivery_id, request.round, now)
        elif intake is plan.Intake.ANNOUNCE and row is not None:
            again = announce.delivered(row, row["updated_at"])
            await enqueue(session, outbox, ANSWERS_DELIVERED, again, key=str(row["appeal_id"]))
    if intake in (plan.Intake.NEW, plan.Intake.RETRY):
        deps.requested()
    elif intake is plan.Intake.ANNOUNCE:
        deps.published()
