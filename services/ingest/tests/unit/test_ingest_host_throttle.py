"""The per-host throttle: a host's requests go at its rate, other hosts are not held up, and a
429's pause is waited out when short and refused when long (on a fake clock)."""

import pytest

from ingest.adapters.host_throttle import LONGEST_WAIT_S, HostThrottle
from ingest.adapters.poll_errors import RateLimited


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_hosts_requests_are_spaced_at_its_rate_and_others_go_freely() -> None:
    time = FakeTime()
    throttle = HostThrottle({"ok": 2.0}, clock=time.clock, sleep=time.sleep)

    for _ in range(4):
        await throttle.wait("ok")
    await throttle.wait("unlisted-host")

    assert time.now == pytest.approx(1.0)  # a burst of 2, then one every 0.5 s
    assert time.slept == pytest.approx([0.5, 0.5])


async def test_a_short_pause_is_waited_out_and_a_long_one_refused() -> None:
    time = FakeTime()
    throttle = HostThrottle({"max": 10.0}, clock=time.clock, sleep=time.sleep)

    throttle.pause("max", 5)
    await throttle.wait("max")
    throttle.pause("max", LONGEST_WAIT_S + 1)

    assert time.slept == [5]
    with pytest.raises(RateLimited):
        await throttle.wait("max")
