"""Posting answers on VK with the page's community token. The token and `v` travel in the POST
form body, never in the URL (httpx logs URLs at INFO), and no error carries the request.

What to call and what each answer means is decided in `ingest.domain.delivery.vk`; here are
the calls, a token bucket per token, and the network's failures as SendError. VK posts nothing
twice for a repeated `guid` or `random_id`, so a call whose outcome is unknown may be repeated.
"""

import asyncio
import hashlib
import math
import time
from collections.abc import Awaitable, Callable

import httpx

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery import vk
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from ingest.domain.ratelimit import PageRateLimiter

DEFAULT_BASE_URL = "https://api.vk.com/method"
DEFAULT_VERSION = "5.199"
DEFAULT_RATE_PER_SECOND = 20.0  # VK's limit for a community token
LONGEST_WAIT_S = 5.0  # beyond it, hand the wait back to the worker's schedule
DEFAULT_RETRY_AFTER_S = 1.0  # a 429 from VK's front without Retry-After
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)


class VkSender:
    """The Sender of VK pages: comments under the community's objects, and its dialogs."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str = DEFAULT_BASE_URL,
        *,
        version: str = DEFAULT_VERSION,
        rate_per_second: float = DEFAULT_RATE_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._version = version
        burst = max(1, int(rate_per_second))
        self._buckets = PageRateLimiter(rate_per_second=rate_per_second, burst=burst)
        self._clock = clock
        self._sleep = sleep

    @property
    def limit(self) -> int:
        return vk.LIMIT

    @property
    def idempotent(self) -> bool:
        return True  # guid and random_id: a repeated call posts nothing new

    async def send(self, page: Page, outgoing: Outgoing, key: str) -> Posted:
        """Reply to the resident's comment or message as the community."""
        token = page.vk_access_token
        if not token:
            raise SendError(
                DeliveryFailure.NO_CREDENTIALS, f"page {page.id} has no VK access token"
            )
        call = vk.plan(page, outgoing, key)
        await self._wait_turn(token)
        form = {**call.params, "access_token": token, "v": self._version}
        try:
            answer = await self._http.post(f"{self._base_url}/{call.method}", data=form)
        except _NOT_SENT as exc:
            raise _unreachable(exc, maybe_posted=False) from None
        except httpx.HTTPError as exc:  # sent, then no answer: the comment may be there
            raise _unreachable(exc, maybe_posted=True) from None
        return vk.read_answer(call, _body(answer))

    async def _wait_turn(self, token: str) -> None:
        # Keyed by digest: the bucket table need not hold the tokens themselves.
        key = hashlib.sha256(token.encode()).hexdigest()
        while (throttled := self._buckets.take(key, self._clock())) is not None:
            if throttled.retry_after_s > LONGEST_WAIT_S:
                raise SendError(
                    DeliveryFailure.RATE_LIMITED,
                    "VK: this token's own request rate is spent",
                    retryable=True,
                    retry_after_s=throttled.retry_after_s,
                )
            await self._sleep(throttled.retry_after_s)


def _body(answer: httpx.Response) -> object:
    """The JSON body of a 200 (VK answers its errors with 200 too); SendError otherwise."""
    status = answer.status_code
    if status >= 500:  # VK's front failed: the API was not reached
        raise SendError(DeliveryFailure.PLATFORM_ERROR, f"VK: HTTP {status}", retryable=True)
    if status == 429:
        retry_after = _seconds(answer.headers.get("Retry-After"))
        raise SendError(
            DeliveryFailure.RATE_LIMITED, "VK: HTTP 429", retryable=True, retry_after_s=retry_after
        )
    if status != 200:
        raise SendError(DeliveryFailure.PLATFORM_ERROR, f"VK: HTTP {status}")
    try:
        return answer.json()
    except ValueError:
        return None  # read_answer says what that means


def _seconds(value: str | None) -> float:
    try:
        seconds = float(value or "")
    except ValueError:
        return DEFAULT_RETRY_AFTER_S
    return DEFAULT_RETRY_AFTER_S if math.isnan(seconds) else min(max(seconds, 1.0), 3600.0)


def _unreachable(exc: httpx.HTTPError, *, maybe_posted: bool) -> SendError:
    # The class name only: an httpx message may quote the URL.
    return SendError(
        DeliveryFailure.PLATFORM_ERROR,
        f"VK: {type(exc).__name__}",
        retryable=True,
        maybe_posted=maybe_posted,
    )
