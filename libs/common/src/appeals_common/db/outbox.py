"""The transactional outbox: an event is written in the same transaction as the state it
describes, and a relay publishes it afterwards. Nothing is published that was not committed,
and nothing committed goes unpublished (it may go twice; consumers are idempotent)."""

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    LargeBinary,
    MetaData,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common import metrics
from appeals_common.db.engine import DATABASE_UNREACHABLE
from appeals_common.errors import DependencyUnavailable
from appeals_common.events import Envelope
from appeals_common.kafka.producer import KafkaPublisher, RawRecord

log = logging.getLogger(__name__)


def outbox_table(metadata: MetaData) -> Table:
    """The outbox table in the metadata's schema (each service has its own)."""
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("topic", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("value", LargeBinary, nullable=False),
        Column("headers", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


Outgoing = tuple[str, Envelope[Any], str]  # topic, event, key


async def enqueue(
    session: AsyncSession, table: Table, topic: str, event: Envelope[Any], *, key: str
) -> None:
    """Add an event to the outbox inside the caller's transaction."""
    await enqueue_many(session, table, [(topic, event, key)])


async def enqueue_many(session: AsyncSession, table: Table, events: Sequence[Outgoing]) -> None:
    """Add events to the outbox inside the caller's transaction, in one statement; the relay
    publishes them in this order."""
    rows = [
        {
            "topic": topic,
            "key": key,
            "value": event.encode(),
            "headers": json.dumps(
                {"event-type": event.type, "correlation-id": event.correlation_id}
            ),
        }
        for topic, event, key in events
    ]
    if rows:
        await session.execute(insert(table), rows)


class OutboxRelay:
    """Publishes outbox rows in id order and deletes them once Kafka has acknowledged them."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        table: Table,
        publisher: KafkaPublisher,
        *,
        poll_interval_s: float = 0.5,
        batch_size: int = 1000,
    ) -> None:
        self._sessions = sessions
        self._table = table
        self._publisher = publisher
        self._poll_interval_s = poll_interval_s
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()

    def wake(self) -> None:
        """Called after a commit that enqueued events, so they leave without waiting a poll."""
        self._wake.set()

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """Relay until stopped; a Kafka or database outage only delays the rows."""
        while not self._stopping.is_set():
            # Cleared before the round, not after: a commit that wakes the relay while it
            # publishes must start the next round at once, not wait out the poll interval.
            self._wake.clear()
            try:
                sent = await self.relay_once()
            except DependencyUnavailable as exc:
                log.warning("outbox relay waiting for Kafka", extra={"error": str(exc)})
                sent = 0
            except DATABASE_UNREACHABLE as exc:
                log.warning("outbox relay waiting for the database", extra={"error": str(exc)})
                sent = 0
            if sent < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval_s)

    async def relay_once(self) -> int:
        """Publish one batch; return how many rows left the outbox."""
        t = self._table
        async with self._sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.value, t.c.headers)
                    .order_by(t.c.id)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            # The whole batch in flight at once, then one wait: the relay keeps up with the
            # consumers that fill the outbox (one awaited send per row did not).
            await self._publisher.publish_batch([
                RawRecord(row.topic, row.value, row.key.encode(),
                          [(k, v.encode()) for k, v in json.loads(row.headers).items()])
                for row in rows
            ])  # fmt: skip
            if rows:
                await session.execute(delete(t).where(t.c.id.in_([r.id for r in rows])))
        if rows:
            metrics.OUTBOX_PUBLISHED.labels(table=str(t.fullname)).inc(len(rows))
        return len(rows)
