"""The Kafka publisher of ingest, which remembers what it has published.

Platforms retry a delivery they did not see acknowledged in time (VK with X-Retry-Counter,
Telegram, MAX), and every event id is deterministic, so a retry is the same event. Once Kafka
has acknowledged an event, this process answers its retries without publishing it again.
The memory is per process and bounded: a retry that reaches another process is published
again, and the consumers, idempotent by appeal and event id, make that a no-op.
"""

import uuid
from collections import OrderedDict
from typing import Any

from appeals_common.events import Envelope
from appeals_common.kafka import KafkaPublisher
from ingest import metrics


class RememberingPublisher:
    """KafkaPublisher's interface; `publish` skips an event id acknowledged before."""

    def __init__(self, inner: KafkaPublisher, *, capacity: int) -> None:
        self._inner = inner
        self._capacity = capacity
        self._published: OrderedDict[uuid.UUID, None] = OrderedDict()  # oldest first

    async def start(self) -> None:
        await self._inner.start()

    async def stop(self) -> None:
        await self._inner.stop()

    async def check(self) -> None:
        await self._inner.check()

    async def publish(self, topic: str, event: Envelope[Any], *, key: str) -> None:
        """Publish and wait for Kafka, unless this event was acknowledged here already."""
        if event.id in self._published:
            self._published.move_to_end(event.id)
            metrics.DUPLICATES_SKIPPED.labels(topic=topic).inc()
            return
        await self._inner.publish(topic, event, key=key)  # raises if Kafka did not take it
        self._published[event.id] = None
        if len(self._published) > self._capacity:
            self._published.popitem(last=False)
