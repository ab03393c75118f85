"""Posting answers on Telegram with the page's bot token. The Bot API takes the token only in
the path (`/bot<token>/sendMessage`), and httpx logs every request's URL at INFO: a filter on
the `httpx` logger blanks the token out of those lines. No error carries the request.

What to send and what each answer means is decided in `ingest.domain.delivery.telegram`; here
are the call, the Bot FAQ's limits as token buckets (about 30 messages a second per bot, one a
second per chat, 20 a minute per group), and the network's failures as SendError.
"""

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Awaitable, Callable

import httpx

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery import telegram
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from ingest.domain.ratelimit import PageRateLimiter

DEFAULT_BASE_URL = "https://api.telegram.org"
LONGEST_WAIT_S = 5.0  # beyond it, hand the wait back to the worker's schedule
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
_BOT_PATH = re.compile(r"/bot[^/\s]+/")


class _HideBotTokens(logging.Filter):
    """Rewrites `/bot<token>/` in a record's message to `/bot<hidden>/`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/bot" in message:
            record.msg, record.args = _BOT_PATH.sub("/bot<hidden>/", message), ()
        return True


_HIDE = _HideBotTokens()


def hide_bot_tokens_in_httpx_logs() -> None:
    """Install the filter once on the `httpx` logger (its request lines quote the URL)."""
    logger = logging.getLogger("httpx")
    if _HIDE not in logger.filters:
        logger.addFilter(_HIDE)


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
        self._clock = clock
        self._sleep = sleep
        hide_bot_tokens_in_httpx_logs()

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
        call = telegram.plan(outgoing)
        await self._wait_turn(token, call.chat_id)
        url = f"{self._base_url}/bot{token}/sendMessage"
        try:
            answer = await self._http.post(url, json=call.payload)
        except _NOT_SENT as exc:
            raise _unreachable(exc, maybe_posted=False) from None
        except httpx.HTTPError as exc:  # sent, then no answer: the message may be there
            raise _unreachable(exc, maybe_posted=True) from None
        return telegram.read_answer(answer.status_code, _json(answer))

    async def _wait_turn(self, token: str, chat_id: int) -> None:
        # Keyed by digest: the bucket tables need not hold the tokens themselves.
        bot = hashlib.sha256(token.encode()).hexdigest()
        buckets = [(self._per_bot, bot), (self._per_chat, f"{bot}:{chat_id}")]
        if chat_id < 0:  # groups and channels have negative ids
            buckets.append((self._per_group, f"{bot}:{chat_id}"))
        for limiter, key in buckets:
            while (throttled := limiter.take(key, self._clock())) is not None:
                if throttled.retry_after_s > LONGEST_WAIT_S:
                    raise SendError(
                        DeliveryFailure.RATE_LIMITED,
                        "Telegram: this bot's own send rate for the chat is spent",
                        retryable=True,
                        retry_after_s=throttled.retry_after_s,
                    )
                await self._sleep(throttled.retry_after_s)


def _json(answer: httpx.Response) -> object:
    try:
        return answer.json()
    except ValueError:
        return None


def _unreachable(exc: httpx.HTTPError, *, maybe_posted: bool) -> SendError:
    # The class name only: an httpx message may quote the URL, and the URL holds the token.
    return SendError(
        DeliveryFailure.PLATFORM_ERROR,
        f"Telegram: {type(exc).__name__}",
        retryable=True,
        maybe_posted=maybe_posted,
    )
