"""The outbox relay waits out a database that is going away or coming back, as it does Kafka,
and a commit that wakes it is never lost."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import MetaData, exc

from appeals_common.db import OutboxRelay, outbox_table


class _Restarting:
    """A session factory whose database answers as PostgreSQL does while it restarts."""

    def __init__(self, errors: list[BaseException], relay: list[OutboxRelay]) -> None:
        self.errors, self.relay, self.calls = errors, relay, 0

    def __call__(self) -> Any:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        asyncio.get_running_loop().create_task(self.relay[0].stop())
        raise OSError("connection refused")  # the loop goes round once more, then stops


@pytest.mark.parametrize(
    "error",
    [
        exc.OperationalError("connect", {}, Exception("the database system is shutting down")),
        exc.InterfaceError("SELECT", {}, Exception("connection is closed")),
        ConnectionRefusedError("connection refused"),
    ],
    ids=["shutting-down", "connection-closed", "refused"],
)
async def test_the_relay_keeps_running_through_a_database_restart(error: BaseException) -> None:
    holder: list[OutboxRelay] = []
    sessions = _Restarting([error, error], holder)
    relay = OutboxRelay(
        sessions,  # type: ignore[arg-type]
        outbox_table(MetaData(schema="t")),
        publisher=None,  # type: ignore[arg-type]  # never reached: no session opens
        poll_interval_s=0.01,
    )
    holder.append(relay)
    async with asyncio.timeout(5):
        await relay.run()  # returns only because it was stopped, not by raising
    assert sessions.calls >= 3


async def test_a_wake_during_a_round_starts_the_next_round_without_waiting_the_poll() -> None:
    """A consumer commits (and wakes the relay) while the relay is publishing the rows before:
    those new rows go in the next round, not a poll interval later."""
    relay = OutboxRelay(
        None,  # type: ignore[arg-type]  # relay_once is replaced below
        outbox_table(MetaData(schema="t")),
        publisher=None,  # type: ignore[arg-type]
        poll_interval_s=3600,  # a lost wake would wait this long
    )
    rounds = 0

    async def relay_once() -> int:
        nonlocal rounds
        rounds += 1
        if rounds == 1:
            relay.wake()  # the commit that lands during this round
        else:
            await relay.stop()
        return 0  # an outbox drained each time: the relay would wait

    relay.relay_once = relay_once  # type: ignore[method-assign]
    async with asyncio.timeout(10):
        await relay.run()
    assert rounds == 2
