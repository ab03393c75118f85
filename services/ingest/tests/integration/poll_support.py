"""The comment poller under test: ingest built through bootstrap() against the local fakes of
OK and MAX, its loops not started (the tests run poll rounds themselves), with pages of its
own in the shared registry database."""

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import ConsumerRecord
from sqlalchemy import text

from ingest.adapters import page_repository
from ingest.bootstrap import Ingest, bootstrap
from ingest.domain.page_fields import PageCreate
from ingest.settings import Settings

OK_KEYS = {"application_key": "CBAFAKEAPPKEY", "access_token": "tkn-ok", "session_secret": "ss"}
MAX_TOKEN = "max-bot-token-for-the-fake-0001"


@asynccontextmanager
async def polling_ingest(ok_url: str, max_url: str) -> AsyncIterator[Ingest]:
    """An ingest process whose poller calls the fakes; its publisher started, no loops."""
    settings = Settings(
        INGEST_OK_API_URL=f"{ok_url}/fb.do",
        INGEST_MAX_API_URL=max_url,
        # Not due again within a test unless it says so (make_due): no test waits for a clock.
        INGEST_POLL_INTERVAL_SECONDS=60,
        INGEST_OK_API_RATE_PER_SECOND=1000,
        INGEST_MAX_API_RATE_PER_SECOND=1000,
    )
    ingest = bootstrap(settings)
    assert ingest.store is not None
    await ingest.store.refresher.refresh()
    await ingest.publisher.start()
    try:
        yield ingest
    finally:
        await ingest.stop()


def ok_page(page_id: str, group_id: str) -> PageCreate:
    return PageCreate(
        id=page_id,
        platform="ok",
        external_id=group_id,
        body_id="adm-test",
        name="ОК, тест опроса",
        url_token=uuid.uuid4().hex + uuid.uuid4().hex,
        ok_application_key=OK_KEYS["application_key"],
        ok_access_token=OK_KEYS["access_token"],
        ok_session_secret=OK_KEYS["session_secret"],
    )


def max_page(page_id: str, chat_id: int) -> PageCreate:
    return PageCreate(
        id=page_id,
        platform="max",
        external_id=str(chat_id),
        body_id="adm-test",
        name="MAX, тест опроса",
        secret="max-webhook-secret",
        bot_id="7000",
        max_bot_token=MAX_TOKEN,
    )


async def cursor_row(ingest: Ingest, page_id: str) -> dict[str, Any]:
    assert ingest.store is not None
    async with ingest.store.database.sessions() as session:
        row = await session.execute(
            text("SELECT * FROM ingest.poll_cursors WHERE page_id = :id"), {"id": page_id}
        )
        return dict(row.mappings().one())


async def create_held(ingest: Ingest, page_in: PageCreate) -> None:
    """Register the page with a cursor row not due for a day, in one transaction: no poller
    claims it until make_due. Another ingest sharing the database (the local stack's) would
    otherwise poll it against the real platform, and take it from the poller under test."""
    assert ingest.store is not None
    async with ingest.store.database.sessions() as session, session.begin():
        cipher = ingest.store.admin.cipher
        await page_repository.insert_page(session, page_in.to_page(), cipher=cipher)
        await session.execute(
            text(
                "INSERT INTO ingest.poll_cursors (page_id, next_poll_at) "
                "VALUES (:id, now() + interval '1 day')"
            ),
            {"id": page_in.id},
        )
    await ingest.store.refresher.refresh()


async def make_due(ingest: Ingest, page_id: str) -> None:
    """As if its next poll time had come (the tests wait for no clock)."""
    assert ingest.store is not None
    async with ingest.store.database.sessions() as session, session.begin():
        await session.execute(
            text("UPDATE ingest.poll_cursors SET next_poll_at = now() WHERE page_id = :id"),
            {"id": page_id},
        )


def page_of(record: ConsumerRecord) -> str:
    return str(json.loads(record.value)["payload"].get("page_id"))


def external_id(record: ConsumerRecord) -> str:
    return str(json.loads(record.value)["payload"]["external_id"])


def appeal_of(record: ConsumerRecord) -> str:
    return str(json.loads(record.value)["payload"]["appeal_id"])
