"""The consumer loop: decode at the edge, run the handler, commit only after it succeeded.

A record that cannot be decoded, or whose handler keeps failing, goes to the dead-letter
topic with the reason and the loop carries on. A dependency outage (broker, database) is
not the record's fault: it is retried until the dependency is back, never dead-lettered.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from appeals_common import metrics
from appeals_common.errors import DependencyUnavailable, PoisonEvent
from appeals_common.events import Envelope, EventPayload, decode_event
from appeals_common.kafka.batches import BatchRunner
from appeals_common.kafka.producer import KafkaPublisher
from appeals_common.topics import DEAD_LETTER

log = logging.getLogger(__name__)
P = TypeVar("P", bound=EventPayload)


@dataclass(frozen=True)
class Route(Generic[P]):
    """Which handler takes the events of one topic, one at a time, and what payload they carry."""

    topic: str
    payload_type: type[P]
    handler: Callable[[Envelope[P]], Awaitable[None]]


@dataclass(frozen=True)
class BatchRoute(Generic[P]):
    """A topic whose handler takes a batch of events at once, in one transaction: a batch that
    fails must leave nothing behind (see batches.py for how the item at fault is found)."""

    topic: str
    payload_type: type[P]
    handler: Callable[[Sequence[Envelope[P]]], Awaitable[None]]


@dataclass(frozen=True)
class _Item:
    position: int  # among the poll's records of its topic
    record: ConsumerRecord
    event: Envelope[Any]


def _handler_of(
    route: Route[Any] | BatchRoute[Any],
) -> Callable[[Sequence[_Item]], Awaitable[None]]:
    """The route's handler as one over items, timed per successful call."""
    timer = metrics.HANDLER_SECONDS.labels(topic=route.topic)
    batch = route.handler if isinstance(route, BatchRoute) else None
    single = route.handler if isinstance(route, Route) else None

    async def handle(items: Sequence[_Item]) -> None:
        started = time.perf_counter()
        if batch is not None:
            await batch([item.event for item in items])
        else:
            assert single is not None
            [item] = items
            await single(item.event)
        timer.observe(time.perf_counter() - started)

    return handle


class EventConsumer:
    """Consumes the routes' topics in one group with manual, per-partition offset commits.

    Each poll takes up to `max_records`; the records of one topic, from all its partitions,
    go to a batch route's handler together (each partition's records in order), and the
    offsets are committed once they are handled.
    """

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group_id: str,
        routes: Sequence[Route[Any] | BatchRoute[Any]],
        dead_letter: KafkaPublisher,
        max_attempts: int = 5,
        retry_backoff_s: float = 0.2,
        transient_errors: tuple[type[BaseException], ...] = (),
        # Per poll: a replica that keeps up takes what arrived during its last batch, far
        # fewer; a backlog drains about 8% faster than at 500 (router and SLA monitor).
        max_records: int = 2000,
    ) -> None:
        self._routes = {r.topic: r for r in routes}
        self._group_id = group_id
        self._dead_letter = dead_letter
        self._max_records = max_records
        transient: tuple[type[BaseException], ...] = (
            DependencyUnavailable,
            OSError,
            *transient_errors,
        )
        self._runners = {
            r.topic: BatchRunner(
                _handler_of(r),
                self._dead_letter_item,
                self._wait_or_stop,
                transient,
                max_attempts,
                retry_backoff_s,
            )
            for r in routes
        }
        self._stopping = asyncio.Event()
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
        )

    async def start(self) -> None:
        await self._consumer.start()
        self._consumer.subscribe(list(self._routes), listener=_ForgetRevokedLag(self._group_id))

    async def stop(self) -> None:
        """Ask the loop to finish the batch in hand, commit, and leave the group."""
        self._stopping.set()

    async def run(self) -> None:
        """Process batches until stop() is called; then leave the group cleanly."""
        try:
            while not self._stopping.is_set():
                polled = await self._consumer.getmany(timeout_ms=500, max_records=self._max_records)
                by_topic: dict[str, list[ConsumerRecord]] = {}
                for tp in sorted(polled, key=lambda tp: (tp.topic, tp.partition)):
                    by_topic.setdefault(tp.topic, []).extend(polled[tp])
                for topic, records in by_topic.items():
                    await self._commit(await self._process(topic, records))
        finally:
            await self._consumer.stop()

    async def _process(
        self, topic: str, records: list[ConsumerRecord]
    ) -> dict[TopicPartition, int]:
        """Handle one topic's records; the next offset of each partition whose records are done
        (all of them, unless the consumer began to stop meanwhile)."""
        route = self._routes[topic]
        metrics.EVENTS_CONSUMED.labels(topic=topic, group=self._group_id).inc(len(records))
        decoded = []
        for position, record in enumerate(records):
            event = await self._decode(record, route.payload_type)
            if event is not None:  # None: not decodable, it went to the dead letters
                decoded.append(_Item(position, record, event))
        done = await self._run(route, decoded)
        # Stopping in a retry: only the records before the first one not handled count.
        boundary = len(records) if done == len(decoded) else decoded[done].position
        offsets = {}
        for record in records[:boundary]:
            offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        return offsets

    async def _run(self, route: Route[Any] | BatchRoute[Any], items: list[_Item]) -> int:
        runner = self._runners[route.topic]
        if isinstance(route, BatchRoute):
            return await runner.run(items)
        for done, item in enumerate(items):  # one at a time: a batch of one each
            if not await runner.run([item]):
                return done
        return len(items)

    async def _decode(self, record: ConsumerRecord, payload_type: type[P]) -> Envelope[P] | None:
        try:
            return decode_event(record.value, payload_type)
        except PoisonEvent as exc:
            await self._dead_letter_record(record, str(exc))
            return None

    async def _dead_letter_item(self, item: _Item, reason: str) -> None:
        await self._dead_letter_record(item.record, reason)

    async def _wait_or_stop(self, delay_s: float) -> bool:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=delay_s)
        except TimeoutError:
            return False
        return True

    async def _dead_letter_record(self, record: ConsumerRecord, reason: str) -> None:
        log.error(
            "dead-lettered",
            extra={"topic": record.topic, "offset": record.offset, "reason": reason},
        )
        headers = [
            *record.headers,
            ("dlq-reason", reason.encode()[:1000]),
            ("dlq-source", f"{record.topic}/{record.partition}/{record.offset}".encode()),
            ("dlq-group", self._group_id.encode()),
            ("dlq-time", datetime.now(UTC).isoformat().encode()),
        ]
        # Retried like any dependency outage: dropping it here would lose the record.
        while True:
            try:
                await self._dead_letter.publish_raw(
                    DEAD_LETTER, record.value, key=record.key, headers=headers
                )
                break
            except DependencyUnavailable:
                if await self._wait_or_stop(1.0):
                    raise
        metrics.EVENTS_DEAD_LETTERED.labels(topic=record.topic).inc()

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except (CommitFailedError, KafkaError) as exc:
            # Lost a partition in a rebalance: its new owner re-reads, handlers are idempotent.
            log.warning("offset commit failed", extra={"error": str(exc)})
            return
        assigned = self._consumer.assignment()
        for tp, offset in offsets.items():
            if tp in assigned:  # revoked while its batch was handled: its new owner reports it
                self._record_lag(tp, offset)

    def _record_lag(self, tp: TopicPartition, next_offset: int) -> None:
        highwater = self._consumer.highwater(tp)
        if highwater is not None:
            metrics.CONSUMER_LAG.labels(
                group=self._group_id, topic=tp.topic, partition=str(tp.partition)
            ).set(max(highwater - next_offset, 0))


class _ForgetRevokedLag(ConsumerRebalanceListener):  # type: ignore[misc]
    """A partition handed to another replica is that replica's to report; drop our last value."""

    def __init__(self, group_id: str) -> None:
        self._group_id = group_id

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        for tp in revoked:
            with contextlib.suppress(KeyError):
                metrics.CONSUMER_LAG.remove(self._group_id, tp.topic, str(tp.partition))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        return None
