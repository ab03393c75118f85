"""A producer Kafka will take nothing more from is replaced, not kept failing for ever.

After a broker restart that lost the producer's last sequence numbers, every batch of the old
producer is refused with OutOfOrderSequenceNumber (aiokafka ends its sender). The publisher
answers DependencyUnavailable for that batch, as for any outage, starts a new producer once,
and the next send goes through it. The real broker's side of this is in the fault suite.
"""

import asyncio
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, OutOfOrderSequenceNumber

from appeals_common.errors import DependencyUnavailable
from appeals_common.kafka.outage import Outage
from appeals_common.kafka.producer import KafkaPublisher, RawRecord

RECORD = RawRecord("appeals.received.v1", b"{}", b"key", [])


class _FakeProducer:
    """Answers every send with `error` (a broken producer) or acknowledges it."""

    def __init__(self, error: BaseException | None = None, start_error: bool = False) -> None:
        self.error, self.start_error = error, start_error
        self.sent, self.started, self.stopped = 0, False, False

    async def start(self) -> None:
        if self.start_error:
            raise KafkaConnectionError("no broker")
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    async def send(self, *_: Any, **__: Any) -> "asyncio.Future[None]":
        self.sent += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.error is not None:
            done.set_exception(self.error)
        else:
            done.set_result(None)
        return done


class _Publisher(KafkaPublisher):
    """A publisher whose producers are `producers`, in order; probes without waiting."""

    def __init__(self, producers: list[_FakeProducer]) -> None:
        self._fakes = iter(producers)
        super().__init__("127.0.0.1:1", client_id="test")
        self._outage = Outage(probe_every_s=0)

    def _new_producer(self) -> Any:
        return next(self._fakes)


async def test_a_refused_sequence_replaces_the_producer_and_the_next_send_goes_through() -> None:
    broken, fresh = _FakeProducer(OutOfOrderSequenceNumber()), _FakeProducer()
    publisher = _Publisher([broken, fresh])

    with pytest.raises(DependencyUnavailable):
        await publisher.publish_batch([RECORD])
    assert fresh.started and broken.stopped

    await publisher.publish_batch([RECORD, RECORD])
    assert (broken.sent, fresh.sent) == (1, 2)


async def test_many_sends_refused_at_once_replace_it_once() -> None:
    broken = _FakeProducer(OutOfOrderSequenceNumber())
    fresh, spare = _FakeProducer(), _FakeProducer()
    publisher = _Publisher([broken, fresh, spare])
    publisher._outage = Outage(probe_every_s=3600)  # the concurrent sends all reach the broker
    results = await asyncio.gather(
        *(publisher.publish_batch([RECORD]) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, DependencyUnavailable) for r in results)
    assert fresh.started and not spare.started


async def test_while_no_new_producer_can_start_the_next_failure_tries_again() -> None:
    broken = _FakeProducer(OutOfOrderSequenceNumber())
    unreachable, fresh = _FakeProducer(start_error=True), _FakeProducer()
    publisher = _Publisher([broken, unreachable, fresh])

    with pytest.raises(DependencyUnavailable):
        await publisher.publish_batch([RECORD])  # Kafka is not back yet: the broken one stays
    assert unreachable.stopped and not broken.stopped
    with pytest.raises(DependencyUnavailable):
        await publisher.publish_batch([RECORD])  # refused again: now a producer starts
    await publisher.publish_batch([RECORD])
    assert (broken.sent, fresh.sent) == (2, 1)
