"""The consumer loop against the real broker: commits, dead letters, retries, redelivery."""

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from appeals_common.errors import DependencyUnavailable
from appeals_common.events import Envelope, SlaBreached, new_envelope
from appeals_common.kafka import BatchRoute, EventConsumer, KafkaPublisher, Route, ensure_topics
from appeals_common.testing import TopicReader
from appeals_common.topics import DEAD_LETTER, TOPICS, TopicSpec

pytestmark = pytest.mark.integration


def _event() -> Envelope[SlaBreached]:
    now = datetime.now(UTC)
    payload = SlaBreached(
        appeal_id=uuid.uuid4(), agency_id="a", deadline=now, detected_at=now, target_seconds=1
    )
    return new_envelope(payload, source="test", correlation_id="c")


async def _fresh_topic(bootstrap: str) -> str:
    name = f"test.consumer.{uuid.uuid4().hex[:10]}"
    await ensure_topics(bootstrap, (TopicSpec(name, 2),))
    return name


def _consumer(bootstrap: str, topic: str, group: str, handler, publisher, **kw) -> EventConsumer:  # type: ignore[no-untyped-def]
    return EventConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        routes=[Route(topic, SlaBreached, handler)],
        dead_letter=publisher,
        retry_backoff_s=0.01,
        **kw,
    )


async def _run_until(consumer: EventConsumer, done: asyncio.Event, timeout_s: float = 30) -> None:
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    try:
        async with asyncio.timeout(timeout_s):
            await done.wait()
    finally:
        await consumer.stop()
        await task


@pytest.fixture
async def publisher(infra) -> KafkaPublisher:  # type: ignore[no-untyped-def]
    await ensure_topics(infra.kafka_bootstrap_servers, TOPICS)
    p = KafkaPublisher(infra.kafka_bootstrap_servers, client_id="test")
    await p.start()
    yield p  # type: ignore[misc]
    await p.stop()


async def test_poison_goes_to_dead_letter_and_the_loop_carries_on(infra, publisher) -> None:
    bootstrap = infra.kafka_bootstrap_servers
    topic = await _fresh_topic(bootstrap)
    good = _event()
    handled: list[uuid.UUID] = []
    done = asyncio.Event()

    async def handler(event: Envelope[SlaBreached]) -> None:
        handled.append(event.id)
        done.set()

    async with TopicReader(bootstrap, DEAD_LETTER) as dlq:
        await publisher.publish_raw(topic, b"{not json", key=b"k")
        await publisher.publish(topic, good, key="k")  # same key: same partition, after the poison
        await _run_until(_consumer(bootstrap, topic, f"g-{topic}", handler, publisher), done)
        [dead] = await dlq.wait_for(
            lambda r: dict(r.headers).get("dlq-source", b"").startswith(topic.encode())
        )
    assert handled == [good.id]
    assert dead.value == b"{not json"
    assert b"invalid sla.breached" in dict(dead.headers)["dlq-reason"]


async def test_committed_offsets_are_not_redelivered_to_the_group(infra, publisher) -> None:
    bootstrap = infra.kafka_bootstrap_servers
    topic = await _fresh_topic(bootstrap)
    group = f"g-{topic}"
    first, second = _event(), _event()
    seen: list[uuid.UUID] = []
    done = asyncio.Event()

    async def handler(event: Envelope[SlaBreached]) -> None:
        seen.append(event.id)
        done.set()

    await publisher.publish(topic, first, key="k")
    await _run_until(_consumer(bootstrap, topic, group, handler, publisher), done)
    done.clear()
    await publisher.publish(topic, second, key="k")
    await _run_until(_consumer(bootstrap, topic, group, handler, publisher), done)
    assert seen == [first.id, second.id]


async def test_a_failing_handler_is_retried_then_dead_lettered(infra, publisher) -> None:
    bootstrap = infra.kafka_bootstrap_servers
    topic = await _fresh_topic(bootstrap)
    attempts = 0
    done = asyncio.Event()

    async def handler(event: Envelope[SlaBreached]) -> None:
        nonlocal attempts
        attempts += 1
        raise ValueError("broken invariant")

    async with TopicReader(bootstrap, DEAD_LETTER) as dlq:
        await publisher.publish(topic, _event(), key="k")
        consumer = _consumer(bootstrap, topic, f"g-{topic}", handler, publisher, max_attempts=3)
        await consumer.start()
        task = asyncio.create_task(consumer.run())
        [dead] = await dlq.wait_for(
            lambda r: dict(r.headers).get("dlq-source", b"").startswith(topic.encode())
        )
        done.set()
        await consumer.stop()
        await task
    assert attempts == 3
    assert b"broken invariant" in dict(dead.headers)["dlq-reason"]


async def test_a_dependency_outage_is_retried_not_dead_lettered(infra, publisher) -> None:
    bootstrap = infra.kafka_bootstrap_servers
    topic = await _fresh_topic(bootstrap)
    calls = 0
    done = asyncio.Event()

    async def handler(event: Envelope[SlaBreached]) -> None:
        nonlocal calls
        calls += 1
        if calls <= 6:  # more failures than max_attempts: an outage must not exhaust them
            raise DependencyUnavailable("database down")
        done.set()

    async with TopicReader(bootstrap, DEAD_LETTER) as dlq:
        await publisher.publish(topic, _event(), key="k")
        await _run_until(
            _consumer(bootstrap, topic, f"g-{topic}", handler, publisher, max_attempts=2), done
        )
        dead = [
            r
            for r in await dlq.drain(1.0)
            if dict(r.headers).get("dlq-source", b"").startswith(topic.encode())
        ]
    assert calls == 7
    assert dead == []


async def test_a_batch_handler_takes_many_at_once_and_isolates_the_one_at_fault(
    infra, publisher
) -> None:
    bootstrap = infra.kafka_bootstrap_servers
    topic = await _fresh_topic(bootstrap)
    events = [_event() for _ in range(300)]
    poison = events[137].id
    committed: list[Envelope[SlaBreached]] = []
    batch_sizes: list[int] = []
    done = asyncio.Event()

    async def handler(batch: Sequence[Envelope[SlaBreached]]) -> None:
        batch_sizes.append(len(batch))
        if any(e.id == poison for e in batch):
            raise ValueError("broken invariant")  # the whole batch fails, as a transaction
        committed.extend(batch)
        if len(committed) == len(events) - 1:
            done.set()

    for i, event in enumerate(events):  # ten keys over two partitions, 30 events each
        await publisher.publish(topic, event, key=f"k{i % 10}")
    consumer = EventConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"g-{topic}",
        routes=[BatchRoute(topic, SlaBreached, handler)],
        dead_letter=publisher,
        retry_backoff_s=0.01,
        max_attempts=2,
    )
    async with TopicReader(bootstrap, DEAD_LETTER) as dlq:
        await _run_until(consumer, done)
        [dead] = await dlq.wait_for(
            lambda r: dict(r.headers).get("dlq-source", b"").startswith(topic.encode())
        )
    assert dead.value is not None and str(poison).encode() in dead.value
    assert max(batch_sizes) > 50  # batches, not one event at a time
    assert len({e.id for e in committed}) == len(committed) == len(events) - 1
    order = {e.id: i for i, e in enumerate(events)}
    for key in range(10):  # each key's events were handled in the order they were written
        mine = [order[e.id] for e in committed if order[e.id] % 10 == key]
        assert mine == sorted(mine)
