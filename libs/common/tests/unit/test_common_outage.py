"""While Kafka is away, senders are told at once; one probe at a time finds it back."""

import asyncio

import pytest

from appeals_common.errors import DependencyUnavailable
from appeals_common.kafka.outage import Outage
from appeals_common.kafka.producer import KafkaPublisher, RawRecord


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_while_kafka_answers_every_send_goes_ahead() -> None:
    outage = Outage(clock=Clock())
    for _ in range(3):
        outage.admit()
        outage.succeeded()


def test_after_a_failure_others_are_refused_until_a_probe_is_due() -> None:
    clock = Clock()
    outage = Outage(probe_every_s=1.0, clock=clock)
    outage.admit()
    outage.failed()

    clock.now += 1.0
    outage.admit()  # the probe
    with pytest.raises(DependencyUnavailable):
        outage.admit()  # while the probe is out, everyone else at once
    outage.failed()
    with pytest.raises(DependencyUnavailable):
        outage.admit()  # the next probe only a second later
    clock.now += 1.0
    outage.admit()
    outage.succeeded()
    outage.admit()  # back: everyone goes ahead
    outage.admit()


def test_a_cancelled_probe_lets_the_next_send_probe() -> None:
    clock = Clock()
    outage = Outage(probe_every_s=1.0, clock=clock)
    outage.failed()
    clock.now += 5
    outage.admit()
    outage.abandoned()
    with pytest.raises(DependencyUnavailable):
        outage.admit()  # still down, and a probe was made just now
    clock.now += 1
    outage.admit()


class SilentProducer:
    """A producer whose broker never answers."""

    def __init__(self) -> None:
        self.sends = 0

    async def send(self, *args: object, **kwargs: object) -> "asyncio.Future[None]":
        self.sends += 1
        return asyncio.get_running_loop().create_future()  # never acknowledged


async def test_the_publisher_waits_its_timeout_once_then_refuses_without_sending() -> None:
    publisher = KafkaPublisher("127.0.0.1:1", client_id="test", timeout_s=0.05)
    await publisher.stop()  # the real producer, never started, makes way for the silent one
    producer = SilentProducer()
    publisher._producer = producer  # type: ignore[assignment]
    record = RawRecord("t", b"v", b"k", [])

    with pytest.raises(DependencyUnavailable):
        await publisher.publish_batch([record])
    assert producer.sends == 1
    for _ in range(5):
        with pytest.raises(DependencyUnavailable, match="unreachable"):
            await publisher.publish_batch([record])
    assert producer.sends == 1  # refused at once: nothing more was handed to the producer
