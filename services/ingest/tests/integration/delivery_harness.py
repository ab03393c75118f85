"""The delivery worker under test: real PostgreSQL, the fake platforms over real HTTP, a clock
the test moves, and requests handed to the intake handler as the consumer would."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fakes.server import serve
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import Database
from appeals_common.events import AnswerRequested, AppealKind, Envelope, Platform, new_envelope
from ingest.adapters.delivery_orm import deliveries, outbox
from ingest.delivery.bootstrap import senders
from ingest.delivery.intake import IntakeDeps, handle_answer_requested
from ingest.delivery.settings import DeliverySettings
from ingest.delivery.worker import DeliveryWorker
from ingest.domain.pages import Page, PageRegistry
from tools.fake_platforms.app import create_app
from tools.fake_platforms.core import Ledger

VK_PAGE = Page(
    id="it-delivery-vk",
    platform=Platform.VK,
    external_id="777001",
    body_id="adm-test",
    name="ВК, тест ответов",
    vk_access_token="vk-community-token-for-the-fake",
)
TG_PAGE = Page(
    id="it-delivery-tg",
    platform=Platform.TELEGRAM,
    external_id="-1007770001",
    body_id="adm-test",
    name="Telegram, тест ответов",
    bot_id="7770001",
    discussion_id="-1007770002",
    telegram_bot_token="7770001:telegram-token-for-the-fake",
)


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def pass_(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Harness:
    worker: DeliveryWorker
    intake: IntakeDeps
    ledgers: dict[str, Ledger]
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock

    async def request(self, request: AnswerRequested) -> None:
        event: Envelope[AnswerRequested] = new_envelope(
            request, source="router", correlation_id=str(request.appeal_id)
        )
        await handle_answer_requested(event, self.intake)

    async def row(self, delivery_id: uuid.UUID) -> dict[str, Any]:
        async with self.sessions() as session:
            found = await session.execute(
                select(deliveries).where(deliveries.c.delivery_id == delivery_id)
            )
            return dict(found.mappings().one())

    async def announced(self, appeal_id: uuid.UUID) -> list[str]:
        """The event types in the outbox for this appeal, oldest first."""
        async with self.sessions() as session:
            rows = await session.execute(
                select(outbox.c.headers).where(outbox.c.key == str(appeal_id)).order_by(outbox.c.id)
            )
            return [h.split('"event-type": "')[1].split('"')[0] for (h,) in rows]


def request_for(
    page: Page,
    kind: AppealKind,
    external_id: str,
    text: str = "Ответ: яму заделаем до пятницы.",
    author: str = "4242",
    round_: int = 0,
    delivery_id: uuid.UUID | None = None,
) -> AnswerRequested:
    appeal_id = uuid.uuid4()
    response_id = uuid.uuid4()
    return AnswerRequested(
        delivery_id=delivery_id or uuid.uuid5(response_id, str(appeal_id)),
        appeal_id=appeal_id,
        response_id=response_id,
        platform=page.platform,
        kind=kind,
        page_id=page.id,
        external_id=external_id,
        author_platform_id=author,
        text=text,
        round=round_,
        requested_at=datetime.now(UTC),
    )


@asynccontextmanager
async def harness() -> AsyncIterator[Harness]:
    """A worker over the fake platforms (started by the test, not by loops)."""
    app = create_app()
    async with serve(app) as base:
        settings = DeliverySettings(
            INGEST_VK_API_URL=f"{base}/vk/method",
            INGEST_TELEGRAM_API_URL=f"{base}/telegram",
            INGEST_MAX_API_URL=f"{base}/max",
            INGEST_OK_API_URL=f"{base}/ok/fb.do",
            INGEST_OK_GRAPH_API_URL=f"{base}/ok/graph",
        )
        database = Database(settings)
        clock = Clock()
        async with httpx.AsyncClient(timeout=5.0) as http:
            registry = PageRegistry([VK_PAGE, TG_PAGE])
            worker = DeliveryWorker(
                sessions=database.sessions,
                senders=senders(settings, http),
                pages=lambda: registry,
                clock=clock,
                published=lambda: None,
                lease=timedelta(seconds=30),
            )
            intake = IntakeDeps(database.sessions, clock, lambda: None, lambda: None)
            try:
                yield Harness(worker, intake, app.state.ledgers, database.sessions, clock)
            finally:
                async with database.sessions() as session, session.begin():
                    await session.execute(
                        delete(deliveries).where(deliveries.c.page_id.in_([VK_PAGE.id, TG_PAGE.id]))
                    )
                await database.dispose()
