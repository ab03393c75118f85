"""Posting answers on VK with the page's community token. The token and `v` travel in the POST
form body, never in the URL (httpx logs URLs at INFO), and no error carries the request.

What to call and what each answer means is decided in `ingest.domain.delivery.vk`; here are
the calls, a token bucket per token, and the network's failures as SendError. VK posts nothing
twice for a repeated `guid` or `random_id`, so a call whose outcome is unknown may be repeated.
"""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

import httpx

from appeals_common.events import DeliveryFailure
from ingest.adapters.senders.calls import Pace, call, per_second, token_key
from ingest.domain.delivery import vk
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page

DEFAULT_BASE_URL = "https://api.vk.com/method"
DEFAULT_VERSION = "5.199"
DEFAULT_RATE_PER_SECOND = 20.0  # VK's limit for a community token
DEFAULT_RETRY_AFTER_S = 1.0  # a 429 from VK's front without Retry-After


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
        self._buckets = per_second(rate_per_second)
        self._pace = Pace("VK", clock, sleep)

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
        planned = vk.plan(page, outgoing, key)
        await self._pace.wait(self._buckets, token_key(token))
        form = {**planned.params, "access_token": token, "v": self._version}
        url = f"{self._base_url}/{planned.method}"
        answer = await call(self._http, "VK", "POST", url, data=form)
        return vk.read_answer(planned, _body(answer))


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
