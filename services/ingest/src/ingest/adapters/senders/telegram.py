"""Posting answers on Telegram with the page's bot token. The Bot API takes the token only in
the path (`/bot<token>/sendMessage`): httpx's request lines are silenced and filtered
(`calls.hide_tokens_in_httpx_logs`), and no error carries the request.

What to send and what each answer means is decided in `ingest.domain.delivery.telegram`; here
are the call, the Bot FAQ's limits as token buckets (about 30 messages a second per bot, one a
second per chat, 20 a minute per group), and the network's failures as SendError.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from appeals_common.events import DeliveryFailure
from ingest.adapters.senders.calls import (
    Pace,
    call,
    hide_tokens_in_httpx_logs,
    json_or_none,
    token_key,
)
from ingest.domain.delivery import telegram
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from ingest.domain.ratelimit import PageRateLimiter

DEFAULT_BASE_URL = "https://api.telegram.org"


class TelegramSender:
    """The Sender of Telegram pages: replies in the discussion group and in private chats."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str = DEFAULT_BASE_URL,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._per_bot = PageRateLimiter(rate_per_second=30.0, burst=30)
        self._per_chat = PageRateLimiter(rate_per_second=1.0, burst=1)
        self._per_group = PageRateLimiter(rate_per_second=20 / 60, burst=20)
        self._pace = Pace("Telegram", clock, sleep)
        hide_tokens_in_httpx_logs()

    @property
    def limit(self) -> int:
        return telegram.LIMIT

    @property
    def idempotent(self) -> bool:
        return False  # sendMessage has no idempotency key

    async def send(self, page: Page, outgoing: Outgoing, key: str) -> Posted:
        """Reply to the resident's message as the page's bot, in the chat it was written in."""
        token = page.telegram_bot_token
        if not token:
            raise SendError(
                DeliveryFailure.NO_CREDENTIALS, f"page {page.id} has no Telegram bot token"
            )
        planned = telegram.plan(outgoing)
        await self._wait_turn(token, planned.chat_id)
        url = f"{self._base_url}/bot{token}/sendMessage"
        answer = await call(self._http, "Telegram", "POST", url, json=planned.payload)
        return telegram.read_answer(answer.status_code, json_or_none(answer))

    async def _wait_turn(self, token: str, chat_id: int) -> None:
        bot = token_key(token)
        await self._pace.wait(self._per_bot, bot)
        await self._pace.wait(self._per_chat, f"{bot}:{chat_id}")
        if chat_id < 0:  # groups and channels have negative ids
            await self._pace.wait(self._per_group, f"{bot}:{chat_id}")
