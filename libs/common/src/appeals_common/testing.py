"""Helpers for tests and benchmarks that watch real topics (not used by the services)."""

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


class TopicReader:
    """Reads a topic from its end at opening time: what a test waits for after it acts."""

    def __init__(self, bootstrap_servers: str, topic: str) -> None:
        self._topic = topic
        self._bootstrap_servers = bootstrap_servers
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False
        )
        self.seen: list[ConsumerRecord] = []

    async def __aenter__(self) -> Self:
        partitions = await _partitions(self._bootstrap_servers, self._topic)
        await self._consumer.start()
        tps = [TopicPartition(self._topic, p) for p in sorted(partitions)]
        self._consumer.assign(tps)
        await self._consumer.seek_to_end(*tps)
        for tp in tps:  # resolve the lazy seek now, before the test acts
            await self._consumer.position(tp)
        return self

    async def __aexit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self._consumer.stop()

    async def wait_for(
        self, predicate: Callable[[ConsumerRecord], bool], *, count: int = 1, timeout_s: float = 30
    ) -> list[ConsumerRecord]:
        """Wait for `count` records matching `predicate`; TimeoutError after `timeout_s`."""
        async with asyncio.timeout(timeout_s):
            while len(matched := [r for r in self.seen if predicate(r)]) < count:
                batches = await self._consumer.getmany(timeout_ms=200)
                for records in batches.values():
                    self.seen.extend(records)
        return matched

    async def drain(self, duration_s: float) -> list[ConsumerRecord]:
        """Everything that arrives within `duration_s` (to show that nothing more came)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + duration_s
        while (left := end - loop.time()) > 0:
            batches = await self._consumer.getmany(timeout_ms=int(min(left, 0.2) * 1000) or 1)
            for records in batches.values():
                self.seen.extend(records)
        return self.seen


async def _partitions(bootstrap_servers: str, topic: str) -> list[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        [description] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if description["error_code"] != 0 or not description["partitions"]:
        raise LookupError(f"topic {topic} does not exist")
    return [p["partition"] for p in description["partitions"]]


async def skip_history(bootstrap_servers: str, group_id: str, topics: list[str]) -> None:
    """Commit the current end of every partition for `group_id`: a service started in that
    group afterwards consumes only what is published from now on, not the topics' history."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        tps = [
            TopicPartition(t, p) for t in topics for p in await _partitions(bootstrap_servers, t)
        ]
        consumer.assign(tps)
        await consumer.seek_to_end(*tps)
        await consumer.commit({tp: await consumer.position(tp) for tp in tps})
    finally:
        await consumer.stop()
