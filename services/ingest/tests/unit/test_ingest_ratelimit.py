"""The per-page token bucket: bursts, refill, independence of pages, bounded memory."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.domain.ratelimit import PageRateLimiter, Throttled


def limiter(rate: float = 10.0, burst: int = 3, max_buckets: int = 200_000) -> PageRateLimiter:
    return PageRateLimiter(rate_per_second=rate, burst=burst, max_buckets=max_buckets)


def test_a_page_may_send_its_burst_at_once_and_is_then_told_when_to_come_back() -> None:
    buckets = limiter(rate=10.0, burst=3)

    answers = [buckets.take("vk-a", now=100.0) for _ in range(4)]

    assert answers[:3] == [None, None, None]
    assert answers[3] == Throttled(pytest.approx(0.1))


def test_tokens_come_back_at_the_rate() -> None:
    buckets = limiter(rate=4.0, burst=3)  # binary fractions of a second: exact in floats
    for _ in range(3):
        buckets.take("vk-a", now=100.0)

    assert buckets.take("vk-a", now=100.125) == Throttled(0.125)  # half a token
    assert buckets.take("vk-a", now=100.25) is None  # 0.5 + 0.5: one whole token
    assert buckets.take("vk-a", now=100.25) is not None


def test_a_flooded_page_does_not_touch_another_pages_tokens() -> None:
    buckets = limiter(burst=2)
    for _ in range(10):
        buckets.take("flooded", now=5.0)

    assert buckets.take("quiet", now=5.0) is None
    assert buckets.take("quiet", now=5.0) is None


def test_a_clock_that_steps_back_gives_no_tokens() -> None:
    buckets = limiter(rate=1.0, burst=1)
    assert buckets.take("p", now=50.0) is None

    assert buckets.take("p", now=10.0) is not None


def test_a_bucket_idle_long_enough_to_be_full_is_dropped() -> None:
    buckets = limiter(rate=10.0, burst=5)  # full again after 0.5 s
    buckets.take("a", now=0.0)
    buckets.take("b", now=0.4)

    buckets.take("c", now=0.6)

    assert len(buckets) == 2  # "a" is gone; "b" still owes a token


def test_memory_stays_bounded_with_130_000_pages() -> None:
    # Defaults: 100/s, burst 1,000, so a bucket is full after 10 s; 2,000 events/s in all.
    buckets = limiter(rate=100.0, burst=1000)
    for i in range(130_000):
        buckets.take(f"page-{i}", now=i / 2000)

    assert len(buckets) <= 2000 * 10 + 1


def test_max_buckets_caps_memory_even_when_every_page_is_busy() -> None:
    buckets = limiter(rate=0.001, burst=1, max_buckets=100)  # never full again in this test
    for i in range(1000):
        buckets.take(f"page-{i}", now=1.0)

    assert len(buckets) == 100


@pytest.mark.parametrize(
    "kwargs",
    [{"rate": 0.0}, {"rate": -1.0}, {"burst": 0}, {"max_buckets": 0}],
)
def test_nonsense_limits_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        limiter(**kwargs)  # type: ignore[arg-type]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    rate=st.floats(min_value=0.1, max_value=1000),
    burst=st.integers(min_value=1, max_value=50),
    gaps=st.lists(st.floats(min_value=0, max_value=2), max_size=300),
)
def test_never_more_than_the_burst_plus_what_the_rate_refilled(
    rate: float, burst: int, gaps: list[float]
) -> None:
    buckets, now, allowed = limiter(rate=rate, burst=burst), 0.0, 0
    for gap in gaps:
        now += gap
        allowed += buckets.take("p", now) is None

    assert allowed <= burst + rate * now + 1e-6


@settings(max_examples=100, derandomize=True, deadline=None)
@given(rate=st.floats(min_value=0.1, max_value=1000), burst=st.integers(min_value=1, max_value=50))
def test_coming_back_after_retry_after_is_always_allowed(rate: float, burst: int) -> None:
    buckets = limiter(rate=rate, burst=burst)
    for _ in range(burst):
        buckets.take("p", now=0.0)

    throttled = buckets.take("p", now=0.0)

    assert throttled is not None
    assert buckets.take("p", now=throttled.retry_after_s * (1 + 1e-9)) is None
