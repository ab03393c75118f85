"""What the parts allow on this machine, measured in the same run as the services: a bare
batched consume→produce hop on Kafka, asyncpg's executemany of 500 rows a transaction, and
the classifier's own rate in-process."""

import asyncio
import os
import time
import uuid
from datetime import UTC, datetime

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from appeals_common.kafka import ensure_topics
from appeals_common.topics import TopicSpec
from tools.throughput.events import TEXTS
from tools.throughput.infra import DATABASE, KAFKA, PG

BATCH = 500


async def kafka_hop(n: int) -> dict[str, float]:
    """Records of 1 KB moved from one topic to another a batch at a time: consume, send each
    without waiting, wait for the batch's acknowledgements, commit. Records per second."""
    run = uuid.uuid4().hex[:8]
    source, target = f"bench.hop.in.{run}", f"bench.hop.out.{run}"
    await ensure_topics(KAFKA, (TopicSpec(source, 6), TopicSpec(target, 6)))
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", enable_idempotence=True)
    await producer.start()
    consumer = AIOKafkaConsumer(
        source, bootstrap_servers=KAFKA, group_id=f"bench-hop-{run}",
        enable_auto_commit=False, auto_offset_reset="earliest",
    )  # fmt: skip
    try:
        value = os.urandom(512).hex().encode()
        for i in range(n):
            await producer.send(source, value, key=str(i).encode())
        await producer.flush()
        await consumer.start()
        moved, began = 0, time.perf_counter()
        while moved < n:
            polled = await consumer.getmany(timeout_ms=500, max_records=BATCH)
            records = [r for batch in polled.values() for r in batch]
            sent = [await producer.send(target, r.value, key=r.key) for r in records]
            await asyncio.gather(*sent)
            if records:
                await consumer.commit()
            moved += len(records)
        seconds = time.perf_counter() - began
    finally:
        await consumer.stop()
        await producer.stop()
    return {"records": n, "seconds": seconds, "per_second": n / seconds}


async def executemany(n: int) -> dict[str, float]:
    """Rows shaped like an SLA clock stored 500 a transaction with asyncpg's executemany."""
    db = await asyncpg.connect(f"postgresql://appeals@{PG}/{DATABASE}")
    try:
        await db.execute(
            "CREATE TEMP TABLE bench_rows (id uuid PRIMARY KEY, agency text, urgent boolean, "
            "written_at timestamptz, deadline timestamptz, target integer, correlation text)"
        )
        now = datetime.now(UTC)
        rows = [(uuid.uuid4(), f"agency-{i % 150}", False, now, now, 14400, f"bench-{i}")
                for i in range(n)]  # fmt: skip
        began = time.perf_counter()
        for first in range(0, n, BATCH):
            async with db.transaction():
                await db.executemany(
                    "INSERT INTO bench_rows VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    rows[first : first + BATCH],
                )
        seconds = time.perf_counter() - began
    finally:
        await db.close()
    return {"rows": n, "seconds": seconds, "per_second": n / seconds}


def classifier_in_process(n: int) -> dict[str, float]:
    """The model classifying the demo texts in this process: no Kafka, no JSON."""
    from classifier.bootstrap import build_classifier  # the model loads only when asked for
    from classifier.settings import Settings

    model = build_classifier(Settings())
    for text in TEXTS:  # warm, as a running service is
        model.classify(text)
    began = time.perf_counter()
    for i in range(n):
        model.classify(TEXTS[i % len(TEXTS)])
    seconds = time.perf_counter() - began
    return {"texts": n, "seconds": seconds, "per_second": n / seconds}
