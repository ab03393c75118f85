"""The consumer loop: decode at the edge, run the handler, commit only after it succeeded.

A record that cannot be decoded, or whose handler keeps failing, goes to the dead-letter
topic with the reason and the loop carries on. A dependency outage (broker, database) is
not the record's fault: it is retried until the dependency is back, never dead-lettered.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from appeals_common import metrics
from appeals_common.errors import DependencyUnavailable, PoisonEvent
from appeals_common.events import Envelope, EventPayload, decode_event
from appeals_common.kafka.producer import KafkaPublisher
from appeals_common.topics import DEAD_LETTER

log = logging.getLogger(__name__)
P = TypeVar("P", bound=EventPayload)


@dataclass(frozen=True)
class Route(Generic[P]):
    """Which handler takes the events of one topic, and what payload they carry."""

    topic: str
    payload_type: type[P]
    handler: Callable[[Envelope[P]], Awaitable[None]]


class EventConsumer:
    """Consumes the routes' topics in one group with manual, per-partition offset commits."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group_id: str,
        routes: list[Route[Any]],
        dead_letter: KafkaPublisher,
        max_attempts: int = 5,
        retry_backoff_s: float = 0.2,
        transient_errors: tuple[type[BaseException], ...] = (),
    ) -> None:
        self._routes = {r.topic: r for r in routes}
        self._group_id = group_id
        self._dead_letter = dead_letter
        self._max_attempts = max_attempts
        self._backoff_s = retry_backoff_s
        self._transient: tuple[type[BaseException], ...] = (
            DependencyUnavailable,
            OSError,
            *transient_errors,
        )
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
        """Ask the loop to finish the record in hand, commit, and leave the group."""
        self._stopping.set()

    async def run(self) -> None:
        """Process batches until stop() is called; then leave the group cleanly."""
        try:
            while not self._stopping.is_set():
                batches = await self._consumer.getmany(timeout_ms=500, max_records=200)
                for tp, records in batches.items():
                    done = await self._process_partition(records)
                    if done is not None:
                        await self._commit(tp, done.offset + 1)
                        self._record_lag(tp, done.offset + 1)
        finally:
            await self._consumer.stop()

    async def _process_partition(self, records: list[ConsumerRecord]) -> ConsumerRecord | None:
        last_done = None
        for record in records:
            if not await self._process(record):
                break
            last_done = record
        return last_done

    async def _process(self, record: ConsumerRecord) -> bool:
        """Handle one record; False only when stopping before it was durably handled."""
        route = self._routes[record.topic]
        metrics.EVENTS_CONSUMED.labels(topic=record.topic, group=self._group_id).inc()
        try:
            event = decode_event(record.value, route.payload_type)
        except PoisonEvent as exc:
            await self._dead_letter_record(record, str(exc))
            return True
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                await route.handler(event)
            except self._transient as exc:
                log.warning("dependency unavailable, retrying", extra={"error": str(exc)})
                if await self._wait_or_stop(min(self._backoff_s * 2**attempt, 5.0)):
                    return False
                continue
            except Exception as exc:
                log.exception("handler failed", extra={"topic": record.topic, "attempt": attempt})
                if attempt >= self._max_attempts:
                    await self._dead_letter_record(record, f"handler failed: {exc!r}")
                    return True
                if await self._wait_or_stop(self._backoff_s * attempt):
                    return False
                continue
            metrics.HANDLER_SECONDS.labels(topic=record.topic).observe(
                time.perf_counter() - started
            )
            return True

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

    async def _commit(self, tp: TopicPartition, offset: int) -> None:
        try:
            await self._consumer.commit({tp: offset})
        except (CommitFailedError, KafkaError) as exc:
            # Lost the partition in a rebalance: its new owner re-reads, handlers are idempotent.
            log.warning("offset commit failed", extra={"partition": str(tp), "error": str(exc)})

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
