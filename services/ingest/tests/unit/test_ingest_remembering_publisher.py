"""Ingest's publisher answers a retried delivery without publishing it a second time."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from appeals_common.errors import DependencyUnavailable
from appeals_common.events import (
    AppealKind,
    AppealReceived,
    Author,
    Envelope,
    Platform,
    new_envelope,
)
from ingest.adapters.remembering_publisher import RememberingPublisher


class CountingKafka:
    """The real publisher's interface; counts what it is asked to publish, or refuses."""

    def __init__(self) -> None:
        self.published: list[Envelope[Any]] = []
        self.down = False

    async def publish(self, topic: str, event: Envelope[Any], *, key: str) -> None:
        if self.down:
            raise DependencyUnavailable("Kafka did not acknowledge")
        self.published.append(event)


def _event(n: int) -> Envelope[Any]:
    """The event of appeal `n`, with the deterministic id ingest gives it."""
    now = datetime.now(UTC)
    appeal = AppealReceived(
        appeal_id=uuid.uuid5(uuid.NAMESPACE_URL, f"appeal-{n}"),
        platform=Platform.VK,
        kind=AppealKind.COMMENT,
        page_id="vk-adm-ivanovo",
        external_id=f"wall-1_1/{n}",
        author=Author(platform_id="1", key="k"),
        text="Яма на дороге",
        written_at=now,
        received_at=now,
    )
    event_id = uuid.uuid5(appeal.appeal_id, "received")
    return new_envelope(appeal, source="test", correlation_id=f"c-{n}", event_id=event_id)


def _publisher(kafka: CountingKafka, capacity: int = 10) -> RememberingPublisher:
    return RememberingPublisher(kafka, capacity=capacity)  # type: ignore[arg-type]


async def test_a_retry_of_an_acknowledged_event_is_not_published_again() -> None:
    kafka = CountingKafka()
    publisher = _publisher(kafka)
    event = _event(1)

    for _ in range(3):
        await publisher.publish("t", event, key="k")

    assert kafka.published == [event]


async def test_an_event_kafka_refused_is_published_on_the_retry() -> None:
    kafka = CountingKafka()
    publisher = _publisher(kafka)
    event = _event(1)
    kafka.down = True
    with pytest.raises(DependencyUnavailable):
        await publisher.publish("t", event, key="k")
    kafka.down = False

    await publisher.publish("t", event, key="k")

    assert kafka.published == [event]


async def test_memory_is_bounded_and_forgets_the_oldest_first() -> None:
    kafka = CountingKafka()
    publisher = _publisher(kafka, capacity=2)
    first, second, third = _event(1), _event(2), _event(3)
    for event in (first, second, first, third):  # `first` seen again: second is the oldest
        await publisher.publish("t", event, key="k")

    await publisher.publish("t", first, key="k")  # still remembered
    await publisher.publish("t", second, key="k")  # forgotten: published again

    assert kafka.published == [first, second, third, second]
