"""Periodic: work on a schedule that outlives the errors it is told to tolerate."""

import asyncio

import pytest

from appeals_common.runtime import Periodic


async def test_work_runs_each_round_through_a_tolerated_error_and_stops_when_asked() -> None:
    rounds: list[int] = []

    async def work() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 2:
            raise OSError("the database is away")

    periodic = Periodic(work, 0.01, "test work", (OSError,))
    task = asyncio.create_task(periodic.run())
    while len(rounds) < 4:
        await asyncio.sleep(0.01)
    await periodic.stop()
    await asyncio.wait_for(task, timeout=1)

    assert rounds[:4] == [0, 1, 2, 3]  # the error of round 2 did not end the loop


async def test_an_error_it_does_not_tolerate_ends_the_loop() -> None:
    async def work() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        await asyncio.wait_for(Periodic(work, 0.01, "test work", (OSError,)).run(), timeout=1)
