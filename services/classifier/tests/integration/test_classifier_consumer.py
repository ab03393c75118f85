"""The classifier's consumer against the real broker: received in, classified out, poison aside."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from appeals_common.events import AppealKind, AppealReceived, Author, Platform, new_envelope
from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_CLASSIFIED, APPEALS_RECEIVED, DEAD_LETTER, TOPICS
from classifier.bootstrap import Classifier, bootstrap
from classifier.settings import Settings

pytestmark = pytest.mark.integration


async def _start_group_at_the_end(bootstrap_servers: str, group_id: str) -> None:
    """Commit the topic's end offsets for a new group: a shared stack's backlog (other tests,
    benchmarks) is not this test's input, and reading it from the start would outlast it."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        [spec] = [t for t in TOPICS if t.name == APPEALS_RECEIVED]
        tps = [TopicPartition(APPEALS_RECEIVED, p) for p in range(spec.partitions)]
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        await consumer.commit(ends)
    finally:
        await consumer.stop()


@pytest.fixture
async def classifier(infra) -> AsyncIterator[Classifier]:  # type: ignore[no-untyped-def]
    suffix = f"-it-{uuid.uuid4().hex[:6]}"
    await _start_group_at_the_end(infra.kafka_bootstrap_servers, f"classifier{suffix}")
    service = bootstrap(Settings(KAFKA_GROUP_SUFFIX=suffix))
    await service.publisher.start()
    await service.consumer.start()
    task = asyncio.create_task(service.consumer.run())
    yield service
    await service.consumer.stop()
    await task
    await service.publisher.stop()


def _received(text: str) -> AppealReceived:
    now = datetime.now(UTC)
    return AppealReceived(
        appeal_id=uuid.uuid4(),
        platform=Platform.API,
        kind=AppealKind.PRIVATE_MESSAGE,
        page_id="site-ivanovo",
        body_id="adm-ivanovo",
        external_id=uuid.uuid4().hex,
        author=Author(platform_id="u", key="k"),
        text=text,
        written_at=now,
        received_at=now,
    )


async def test_received_appeal_is_classified_and_published(infra, classifier) -> None:
    appeal = _received("Третий день нет отопления в доме, батареи ледяные, дети мерзнут")
    event = new_envelope(appeal, source="test", correlation_id="corr-42")
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_CLASSIFIED) as classified:
        await classifier.publisher.publish(APPEALS_RECEIVED, event, key=str(appeal.appeal_id))
        [record] = await classified.wait_for(
            lambda r: json.loads(r.value)["payload"]["appeal"]["appeal_id"] == str(appeal.appeal_id)
        )
    out = json.loads(record.value)
    assert out["correlation_id"] == "corr-42"
    assert out["payload"]["classification"]["topic"] == "housing.heating"
    assert out["id"] == str(uuid.uuid5(appeal.appeal_id, "classified"))


async def test_poison_on_the_received_topic_is_dead_lettered(infra, classifier) -> None:
    marker = uuid.uuid4().hex
    group = f"classifier{classifier.settings.kafka_group_suffix}".encode()
    async with TopicReader(infra.kafka_bootstrap_servers, DEAD_LETTER) as dlq:
        await classifier.publisher.publish_raw(
            APPEALS_RECEIVED,
            json.dumps({"type": "appeal.received", "marker": marker}).encode(),
            key=b"x",
        )
        [dead] = await dlq.wait_for(
            lambda r: marker.encode() in r.value and dict(r.headers)["dlq-group"] == group
        )
    assert b"invalid appeal.received" in dict(dead.headers)["dlq-reason"]
