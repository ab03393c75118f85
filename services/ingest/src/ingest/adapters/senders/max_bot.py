"""Posting answers on MAX with the page's bot token, which travels in the `Authorization`
header (MAX no longer takes it as a query parameter; httpx logs URLs, not headers).

What to send and what each answer means is decided in `ingest.domain.delivery.max`; here are
the calls, a token bucket per bot token, and the network's failures as SendError.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from appeals_common.events import DeliveryFailure
from ingest.adapters.senders.calls import Pace, call, json_or_none, per_second, token_key
from ingest.domain.delivery import max as max_reply
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page

DEFAULT_BASE_URL = "https://platform-api2.max.ru"  # dev.max.ru: platform-api.max.ru is retired
# dev.max.ru: at most two messages a second into one dialog, chat or channel. A bot's replies
# go to many chats, but a split answer goes to one: two a second per token keeps it safe.
DEFAULT_RATE_PER_SECOND = 2.0


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
        self._buckets = per_second(rate_per_second)
        self._pace = Pace("MAX", clock, sleep)

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
        await self._pace.wait(self._buckets, token_key(token))
        answer = await call(
            self._http,
            "MAX",
            method,
            self._base_url + request.path,
            params=request.params or None,
            json=request.body,
            headers={"Authorization": token},
        )
        body = json_or_none(answer)
        if answer.status_code != 200:
            retry_after = max_reply.retry_after(answer.headers.get("Retry-After"))
            raise max_reply.error(
                answer.status_code, body, target=target, retry_after_s=retry_after
            )
        return body
