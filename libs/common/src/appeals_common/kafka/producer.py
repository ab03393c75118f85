"""Publishing events: acks=all, idempotent, and awaited so callers know Kafka has them."""

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    InvalidProducerEpoch,
    KafkaError,
    OutOfOrderSequenceNumber,
    UnknownProducerId,
)

from appeals_common import metrics
from appeals_common.errors import DependencyUnavailable
from appeals_common.events import Envelope
from appeals_common.kafka.outage import Outage

log = logging.getLogger(__name__)
# Errors after which a producer can send nothing more: a broker that restarted without the
# producer's last sequence numbers (unflushed, or a failover) answers OutOfOrderSequenceNumber
# to every later batch, and aiokafka ends the producer's sender on it. A new producer gets a new
# producer id and starts its sequences again; what was not acknowledged is sent again by the
# callers (consumers are idempotent).
_PRODUCER_BROKEN = (OutOfOrderSequenceNumber, UnknownProducerId, InvalidProducerEpoch)


class Publisher(Protocol):
    """Port: puts an event on a topic and returns once the broker has acknowledged it."""

    async def publish(self, topic: str, event: Envelope[Any], *, key: str) -> None: ...


@dataclass(frozen=True)
class RawRecord:
    topic: str
    value: bytes | None
    key: bytes | None
    headers: list[tuple[str, bytes]]


def event_record(topic: str, event: Envelope[Any], key: str) -> RawRecord:
    """An event as the record it travels in: keyed, with its type and correlation id."""
    headers = [
        ("event-type", event.type.encode()),
        ("correlation-id", event.correlation_id.encode()),
    ]
    return RawRecord(topic, event.encode(), key.encode(), headers)


class KafkaPublisher:
    """Publisher backed by an idempotent aiokafka producer."""

    def __init__(self, bootstrap_servers: str, *, client_id: str, timeout_s: float = 10.0) -> None:
        self._bootstrap_servers, self._client_id = bootstrap_servers, client_id
        self._timeout_s = timeout_s
        self._producer = self._new_producer()
        self._outage = Outage()
        self._replacing = asyncio.Lock()

    def _new_producer(self) -> AIOKafkaProducer:
        return AIOKafkaProducer(
            bootstrap_servers=self._bootstrap_servers,
            client_id=self._client_id,
            acks="all",
            enable_idempotence=True,
            # No linger: one produce request is in flight per broker, and what arrives while it
            # is batches into the next. A linger timer per partition only added wake-ups
            # (measured on ingest: about 15% more CPU per callback, docs/ingest.md "Load").
            linger_ms=0,
            request_timeout_ms=int(self._timeout_s * 1000),
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def publish(self, topic: str, event: Envelope[Any], *, key: str) -> None:
        """Send and wait for the broker's acknowledgement."""
        record = event_record(topic, event, key)
        await self.publish_raw(topic, record.value, key=record.key, headers=record.headers)

    async def publish_many(self, events: Sequence[tuple[str, Envelope[Any], str]]) -> None:
        """Send events (topic, event, key) all at once; see publish_batch."""
        await self.publish_batch([event_record(topic, e, key) for topic, e, key in events])

    async def publish_raw(
        self,
        topic: str,
        value: bytes | None,
        *,
        key: bytes | None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> None:
        """Send bytes as they are (the dead-letter path keeps the original record)."""
        await self.publish_batch([RawRecord(topic, value, key, headers or [])])

    async def publish_batch(self, records: Sequence[RawRecord]) -> None:
        """Send records as they are, all at once, and return when Kafka has acknowledged every
        one: the producer batches them per partition and keeps their order (idempotent), so a
        batch costs a few round trips instead of one per record. On an error some may have
        been written; the caller sends the batch again (consumers are idempotent)."""
        if not records:
            return
        self._outage.admit()
        producer = self._producer
        try:
            async with asyncio.timeout(self._timeout_s):
                sent = [
                    await producer.send(r.topic, r.value, key=r.key, headers=r.headers)
                    for r in records
                ]
                await asyncio.gather(*sent)
        except _PRODUCER_BROKEN as exc:
            self._failed(exc)
            await self._replace(producer, exc)
            raise DependencyUnavailable("Kafka refused the producer's sequence") from exc
        except (KafkaError, TimeoutError) as exc:
            self._failed(exc)
            raise DependencyUnavailable("Kafka did not acknowledge a record") from exc
        except BaseException:
            self._outage.abandoned()
            raise
        self._outage.succeeded()
        for topic, count in Counter(r.topic for r in records).items():
            metrics.EVENTS_PUBLISHED.labels(topic=topic).inc(count)

    def _failed(self, error: BaseException) -> None:
        """Fail fast from now on; said once as the outage begins, then for each failed probe."""
        level = logging.INFO if self._outage.down else logging.WARNING
        log.log(level, "Kafka did not acknowledge a send", extra={"error": type(error).__name__})
        self._outage.failed()

    async def _replace(self, broken: AIOKafkaProducer, error: BaseException) -> None:
        """A new producer in place of `broken`, once however many sends found it broken; while
        Kafka cannot start one, the broken one stays and the next failure tries again."""
        async with self._replacing:
            if self._producer is not broken:
                return
            log.warning("Kafka producer replaced", extra={"error": type(error).__name__})
            fresh = self._new_producer()
            try:
                await fresh.start()
            except (KafkaError, OSError):
                with contextlib.suppress(Exception):
                    await fresh.stop()
                return
            self._producer = fresh
        with contextlib.suppress(Exception):  # its sender is gone: nothing left to flush
            async with asyncio.timeout(self._timeout_s):
                await broken.stop()

    async def check(self) -> None:
        """Readiness: the cluster answers a metadata request."""
        try:
            async with asyncio.timeout(3):
                await self._producer.client.fetch_all_metadata()
        except (KafkaError, TimeoutError) as exc:
            raise DependencyUnavailable("Kafka metadata request failed") from exc
