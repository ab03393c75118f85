"""When to poll a page next: after its interval when the poll went through; after a back-off
that doubles with each failure in a row, capped, when it did not; never before the API's own
`Retry-After`."""

from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(minutes=15)


def after_success(now: datetime, interval: timedelta) -> datetime:
    return now + interval


def backoff(failures: int, interval: timedelta, cap: timedelta = MAX_BACKOFF) -> timedelta:
    """interval × 2^(failures-1), at most `cap`: 1, 2, 4... intervals after 1, 2, 3 failures."""
    exponent = min(max(failures - 1, 0), 30)  # bounded: 2^30 intervals is past any cap
    delay: timedelta = interval * (2**exponent)
    return min(delay, cap)


def after_failure(
    now: datetime,
    interval: timedelta,
    failures: int,
    retry_after: timedelta | None = None,
    cap: timedelta = MAX_BACKOFF,
) -> datetime:
    """`failures` counts this one; a Retry-After longer than the back-off wins."""
    delay = backoff(failures, interval, cap)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return now + delay
