"""The transactional outbox against the real database and broker."""

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import MetaData, Table, func, select, text

from appeals_common.db import Database, OutboxRelay, enqueue, outbox_table
from appeals_common.events import SlaBreached, new_envelope
from appeals_common.kafka import KafkaPublisher, ensure_topics
from appeals_common.settings import DatabaseSettings
from appeals_common.testing import TopicReader
from appeals_common.topics import TopicSpec

pytestmark = pytest.mark.integration


def _event():  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    payload = SlaBreached(
        appeal_id=uuid.uuid4(), agency_id="a", deadline=now, detected_at=now, target_seconds=1
    )
    return new_envelope(payload, source="test", correlation_id="corr-1")


@asynccontextmanager
async def _outbox(infra, partitions: int) -> AsyncIterator[tuple[str, Database, Table, Any]]:  # type: ignore[no-untyped-def]
    """A topic, and an outbox table in a schema of its own, dropped afterwards."""
    schema = f"outbox_test_{uuid.uuid4().hex[:8]}"
    topic = f"test.outbox.{schema}"
    await ensure_topics(infra.kafka_bootstrap_servers, (TopicSpec(topic, partitions),))
    database = Database(DatabaseSettings(DATABASE_URL=infra.database_url))
    table = outbox_table(MetaData(schema=schema))
    publisher = KafkaPublisher(infra.kafka_bootstrap_servers, client_id="test")
    await publisher.start()
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            await conn.run_sync(table.metadata.create_all)
        yield topic, database, table, publisher
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await publisher.stop()
        await database.dispose()


async def test_committed_rows_are_published_once_and_rolled_back_ones_never(infra) -> None:
    async with _outbox(infra, 1) as (topic, database, table, publisher):
        kept, dropped = _event(), _event()
        async with database.sessions() as session, session.begin():
            await enqueue(session, table, topic, kept, key="k")
        with pytest.raises(RuntimeError):
            async with database.sessions() as session, session.begin():
                await enqueue(session, table, topic, dropped, key="k")
                raise RuntimeError("the state write failed, so the event must not leave")
        relay = OutboxRelay(database.sessions, table, publisher)
        async with TopicReader(infra.kafka_bootstrap_servers, topic) as reader:
            assert await relay.relay_once() == 1
            assert await relay.relay_once() == 0
            records = await reader.drain(1.0)
        assert [json.loads(r.value)["id"] for r in records] == [str(kept.id)]
        assert dict(records[0].headers)["correlation-id"] == b"corr-1"
        async with database.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(table)) == 0


async def test_a_batch_leaves_at_once_and_each_key_keeps_its_order(infra) -> None:  # type: ignore[no-untyped-def]
    async with _outbox(infra, 3) as (topic, database, table, publisher):
        events = [(f"key-{i % 7}", _event()) for i in range(300)]
        async with database.sessions() as session, session.begin():
            for key, event in events:
                await enqueue(session, table, topic, event, key=key)
        relay = OutboxRelay(database.sessions, table, publisher, batch_size=200)
        async with TopicReader(infra.kafka_bootstrap_servers, topic) as reader:
            assert [await relay.relay_once() for _ in range(3)] == [200, 100, 0]
            await reader.wait_for(lambda r: json.loads(r.value)["id"] == str(events[-1][1].id))
            records = await reader.drain(1.0)

    order: dict[str, list[str]] = {}
    for record in records:
        order.setdefault(record.key.decode(), []).append(json.loads(record.value)["id"])
    expected: dict[str, list[str]] = {}
    for key, event in events:
        expected.setdefault(key, []).append(str(event.id))
    assert order == expected  # every record once, each key's in the order enqueued
