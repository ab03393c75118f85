"""Requests to a polled API wait for a token of its host's bucket, shared by every page this
process polls; a host that answered 429 is left alone until its Retry-After has passed."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

from ingest.adapters.poll_errors import RateLimited
from ingest.domain.ratelimit import PageRateLimiter

# Waiting longer would hold a leased page past its lease: fail the poll and let it back off.
LONGEST_WAIT_S = 30.0


class HostThrottle:
    """A token bucket per API host (requests per second, burst of one second's worth)."""

    def __init__(
        self,
        rates: Mapping[str, float],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._buckets = {
            host: PageRateLimiter(rate_per_second=rate, burst=max(1, int(rate)))
            for host, rate in rates.items()
        }
        self._paused_until: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep

    async def wait(self, host: str) -> None:
        """Return once a request to `host` may go; RateLimited when that is too far off."""
        paused = self._paused_until.get(host, 0.0) - self._clock()
        if paused > LONGEST_WAIT_S:
            raise RateLimited(f"{host} asked us to wait", retry_after_s=paused)
        if paused > 0:
            await self._sleep(paused)
        bucket = self._buckets.get(host)
        while bucket is not None and (throttled := bucket.take(host, self._clock())) is not None:
            await self._sleep(throttled.retry_after_s)

    def pause(self, host: str, seconds: float) -> None:
        """The host answered 429: no request to it from this process for `seconds`."""
        until = self._clock() + seconds
        self._paused_until[host] = max(until, self._paused_until.get(host, 0.0))
