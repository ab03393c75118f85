"""What every sender shares: one HTTP call whose network failures become SendError, a lenient
JSON read, a token-bucket pace per token, and a filter that keeps tokens out of httpx's log
lines (the Bot API puts the token in the path, OK's Bot API in the query; httpx quotes URLs
at INFO, which `configure_logging` silences, and this filter covers whoever turns it back on).
"""

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery.model import SendError
from ingest.domain.ratelimit import PageRateLimiter

LONGEST_WAIT_S = 5.0  # beyond it, hand the wait back to the worker's schedule
# Failures before the request left: nothing can have been posted.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
_SECRETS_IN_URL = (
    (re.compile(r"/bot[^/\s]+/"), "/bot<hidden>/"),
    (re.compile(r"(access_token=)[^&\s\"]+"), r"\1***"),
)


async def call(
    http: httpx.AsyncClient, platform: str, method: str, url: str, **request: Any
) -> httpx.Response:
    """The platform's answer, or SendError for a call that got none. A POST that was sent and
    never answered may have posted (`maybe_posted`); a GET posts nothing."""
    try:
        return await http.request(method, url, **request)
    except _NOT_SENT as exc:
        raise _unreachable(platform, exc, maybe_posted=False) from None
    except httpx.HTTPError as exc:
        raise _unreachable(platform, exc, maybe_posted=method == "POST") from None


def json_or_none(answer: httpx.Response) -> object:
    """The body as JSON; None when it is not (the domain says what that means)."""
    try:
        return answer.json()
    except ValueError:
        return None


def token_key(token: str) -> str:
    """A bucket's key: a digest, so that the bucket tables do not hold the tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class Pace:
    """Waits for a token of a bucket before each call; a wait longer than LONGEST_WAIT_S is
    handed back as a retryable `rate_limited`, for the worker to schedule."""

    def __init__(
        self,
        platform: str,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._platform, self._clock, self._sleep = platform, clock, sleep

    async def wait(self, limiter: PageRateLimiter, key: str) -> None:
        while (throttled := limiter.take(key, self._clock())) is not None:
            if throttled.retry_after_s > LONGEST_WAIT_S:
                raise SendError(
                    DeliveryFailure.RATE_LIMITED,
                    f"{self._platform}: our own send rate for this token is spent",
                    retryable=True,
                    retry_after_s=throttled.retry_after_s,
                )
            await self._sleep(throttled.retry_after_s)


def per_second(rate: float) -> PageRateLimiter:
    """A bucket of `rate` calls a second, a second's worth at once."""
    return PageRateLimiter(rate_per_second=rate, burst=max(1, int(rate)))


class _HideTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = message
        for pattern, replacement in _SECRETS_IN_URL:
            hidden = pattern.sub(replacement, hidden)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


_HIDE = _HideTokens()


def hide_tokens_in_httpx_logs() -> None:
    """Install the filter once on the `httpx` logger."""
    logger = logging.getLogger("httpx")
    if _HIDE not in logger.filters:
        logger.addFilter(_HIDE)


def _unreachable(platform: str, exc: httpx.HTTPError, *, maybe_posted: bool) -> SendError:
    # The class name only: an httpx message may quote the URL, and with it a token.
    return SendError(
        DeliveryFailure.PLATFORM_ERROR,
        f"{platform}: {type(exc).__name__}",
        retryable=True,
        maybe_posted=maybe_posted,
    )
