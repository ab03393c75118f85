"""The outbox relay waits out a database that is going away or coming back, as it does Kafka."""

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
