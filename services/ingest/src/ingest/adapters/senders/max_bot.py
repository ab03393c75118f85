"""Posting answers on MAX with the page's bot token, which travels in the `Authorization`
header (MAX no longer takes it as a query parameter; httpx logs URLs, not headers).

What to send and what each answer means is decided in `ingest.domain.delivery.max`; here are
the calls, a token bucket per bot token, and the network's failures as SendError.
"""

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable

import httpx

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery import max as max_reply
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from ingest.domain.ratelimit import PageRateLimiter

DEFAULT_BASE_URL = "https://platform-api2.max.ru"  # dev.max.ru: platform-api.max.ru is retired
# dev.max.ru: at most two messages a second into one dialog, chat or channel. A bot's replies
# go to many chats, but a split answer goes to one: two a second per token keeps it safe.
DEFAULT_RATE_PER_SECOND = 2.0
LONGEST_WAIT_S = 5.0  # beyond it, hand the wait back to the worker's schedule
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)


class MaxSender:
    """The Sender of MAX pages: messages in dialogs and group chats, comments under posts."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str = DEFAULT_BASE_URL,
        *,
        rate_per_second: float = DEFAULT_RATE_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        burst = max(1, int(rate_per_second))  # a second's worth at once
        self._buckets = PageRateLimiter(rate_per_second=rate_per_second, burst=burst)
        self._clock = clock
        self._sleep = sleep

    @property
    def limit(self) -> int:
        return max_reply.LIMIT

    @property
    def idempotent(self) -> bool:
        return False  # no idempotency key in the Bot API

    async def send(self, page: Page, outgoing: Outgoing, key: str) -> Posted:
        """Reply to the resident's message or comment as the page's bot."""
        token = page.max_bot_token
        if not token:
            raise SendError(DeliveryFailure.NO_CREDENTIALS, f"page {page.id} has no MAX bot token")
        target = max_reply.target(outgoing)
        chat_id = None
        if target.needs_chat:
            read = await self._call("GET", max_reply.lookup(target), token, target)
            chat_id = max_reply.chat_of(read)
        answer = await self._call(
            "POST", max_reply.send(target, outgoing.text, chat_id), token, target
        )
        return max_reply.posted(target, answer)

    async def _call(
        self, method: str, request: max_reply.Request, token: str, target: max_reply.Target
    ) -> object:
        await self._wait_turn(token)
        posting = method == "POST"
        try:
            answer = await self._http.request(
                method,
                self._base_url + request.path,
                params=request.params or None,
                json=request.body,
                headers={"Authorization": token},
            )
        except _NOT_SENT as exc:
            raise _unreachable(exc, maybe_posted=False) from None
        except httpx.HTTPError as exc:
            # Sent, then no answer: a post may have been made.
            raise _unreachable(exc, maybe_posted=posting) from None
        body = _json(answer)
        if answer.status_code != 200:
            retry_after = max_reply.retry_after(answer.headers.get("Retry-After"))
            raise max_reply.error(
                answer.status_code, body, target=target, retry_after_s=retry_after
            )
        return body

    async def _wait_turn(self, token: str) -> None:
        # Keyed by digest: the bucket table need not hold the tokens themselves.
        key = hashlib.sha256(token.encode()).hexdigest()
        while (throttled := self._buckets.take(key, self._clock())) is not None:
            if throttled.retry_after_s > LONGEST_WAIT_S:
                raise SendError(
                    DeliveryFailure.RATE_LIMITED,
                    "MAX: this bot's own send rate is spent",
                    retryable=True,
                    retry_after_s=throttled.retry_after_s,
                )
            await self._sleep(throttled.retry_after_s)


def _unreachable(exc: httpx.HTTPError, *, maybe_posted: bool) -> SendError:
    # The class name only: an httpx message may quote the URL.
    return SendError(
        DeliveryFailure.PLATFORM_ERROR,
        f"MAX: {type(exc).__name__}",
        retryable=True,
        maybe_posted=maybe_posted,
    )


def _json(answer: httpx.Response) -> object:
    try:
        return answer.json()
    except ValueError:
        return None
