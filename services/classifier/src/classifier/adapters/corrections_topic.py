"""Reading the router's corrections from Kafka in the classifier's own consumer group.

The group's committed offsets remember what was already exported, so each export takes only
what came since; offsets are committed by the caller after the corrections are on disk. The
topic keeps 30 days: export at least that often.
"""

import time

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from appeals_common.topics import CLASSIFICATION_CORRECTIONS


class CorrectionsReader:
    def __init__(self, bootstrap_servers: str, group_id: str) -> None:
        self._consumer = AIOKafkaConsumer(
            CLASSIFICATION_CORRECTIONS,
            bootstrap_servers=bootstrap_servers,
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
        )

    async def start(self) -> None:
        await self._consumer.start()

    async def stop(self) -> None:
        await self._consumer.stop()

    async def read_available(self, *, timeout_s: float) -> list[ConsumerRecord]:
        """Everything up to the end of the topic as it was once the partitions were assigned."""
        deadline = time.monotonic() + timeout_s
        records: list[ConsumerRecord] = []
        ends: dict[TopicPartition, int] | None = None
        while time.monotonic() < deadline:
            for batch in (await self._consumer.getmany(timeout_ms=200)).values():
                records.extend(batch)
            assigned = self._consumer.assignment()
            if not assigned:
                continue  # still joining the group
            ends = ends or await self._consumer.end_offsets(list(assigned))
            positions = [await self._consumer.position(tp) for tp in ends]
            if all(p >= end for p, end in zip(positions, ends.values(), strict=True)):
                break
        return records

    async def commit(self) -> None:
        """Remember what was read: the next export starts after it."""
        await self._consumer.commit()
