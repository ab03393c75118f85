"""A token bucket per page, so that one flooded page cannot starve the others.

Each page may send `burst` events at once and `rate_per_second` on average. The clock is a
parameter (seconds from any monotonic origin): no I/O, no hidden time.

Memory stays bounded however many pages there are: a bucket left alone for `burst / rate`
seconds is full again, which is what a missing bucket means, so it is dropped without changing
any decision. What is left is at most the pages heard from in that window; `max_buckets` caps
even that, dropping the least recently used (which only forgives that page its debt).
"""

from collections import OrderedDict
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True)
class Throttled:
    """The page is over its limit; a token will be there in `retry_after_s` seconds."""

    retry_after_s: float


class PageRateLimiter:
    """Token buckets keyed by page id, created full on a page's first event."""

    def __init__(self, *, rate_per_second: float, burst: int, max_buckets: int = 200_000) -> None:
        if rate_per_second <= 0 or burst < 1 or max_buckets < 1:
            raise ValueError("rate_per_second must be > 0, burst and max_buckets >= 1")
        self._rate = rate_per_second
        self._burst = float(burst)
        self._refill_s = burst / rate_per_second  # idle this long, a bucket is full again
        self._max_buckets = max_buckets
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()  # least recently used first

    def take(self, page_id: str, now: float) -> Throttled | None:
        """Spend one of the page's tokens: None if there was one, else when to come back."""
        self._drop_full(now)
        bucket = self._buckets.pop(page_id, None) or _Bucket(self._burst, now)
        self._buckets[page_id] = bucket  # re-inserted last: the most recently used
        elapsed = max(0.0, now - bucket.updated)  # a clock that steps back refills nothing
        bucket.tokens = min(self._burst, bucket.tokens + elapsed * self._rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return Throttled((1.0 - bucket.tokens) / self._rate)

    def __len__(self) -> int:
        return len(self._buckets)

    def _drop_full(self, now: float) -> None:
        # Ordered by last use, so the idle ones are at the front: amortised O(1) per event.
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if now - oldest.updated < self._refill_s and len(self._buckets) < self._max_buckets:
                return
            self._buckets.popitem(last=False)
