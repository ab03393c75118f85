"""Posting answers on OK with the page's credentials: comments under group topics through the
REST API (`fb.do`, a signed form body, as the poller calls it) and messages in the group's
chat through the Bot API (Graph API).

The Bot API documents its token only as the `access_token` query parameter, and httpx logs
request URLs at INFO: a filter on the `httpx` logger masks `access_token=` values, so the
token never reaches a log line. What to send and what each answer means is decided in
`ingest.domain.delivery.ok`.
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
from ingest.domain.delivery import ok as ok_reply
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from ingest.domain.polling import ok_api
from ingest.domain.ratelimit import PageRateLimiter

DEFAULT_REST_URL = "https://api.ok.ru/fb.do"
DEFAULT_GRAPH_URL = "https://api.ok.ru/graph"
# No published limit for a group's calls (NOT VERIFIED): the poller's conservative rate.
DEFAULT_RATE_PER_SECOND = 3.0
LONGEST_WAIT_S = 5.0
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
_TOKEN_IN_URL = re.compile(r"(access_token=)[^&\s\"]+")


class _MaskTokens(logging.Filter):
    """Masks `access_token=` values in a record's message (httpx's request lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "access_token=" in message:
            record.msg, record.args = _TOKEN_IN_URL.sub(r"\1***", message), None
        return True


def _mask_httpx_logs() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _MaskTokens) for f in logger.filters):
        logger.addFilter(_MaskTokens())


class OkSender:
    """The Sender of OK pages: replies in the group's chat and under its topics."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        rest_url: str = DEFAULT_REST_URL,
        graph_url: str = DEFAULT_GRAPH_URL,
        *,
        rate_per_second: float = DEFAULT_RATE_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = http
        self._rest_url = rest_url
        self._graph_url = graph_url.rstrip("/")
        burst = max(1, int(rate_per_second))  # a second's worth at once
        self._buckets = PageRateLimiter(rate_per_second=rate_per_second, burst=burst)
        self._clock = clock
        self._sleep = sleep
        _mask_httpx_logs()

    @property
    def limit(self) -> int:
        return ok_reply.LIMIT

    @property
    def idempotent(self) -> bool:
        return False  # neither API takes an idempotency key

    async def send(self, page: Page, outgoing: Outgoing, key: str) -> Posted:
        """Reply to the resident's chat message or topic comment as the group."""
        target = ok_reply.target(outgoing)
        if isinstance(target, ok_reply.TopicTarget):
            return await self._comment(page, target, outgoing.text)
        return await self._message(page, target, outgoing.text)

    async def _comment(self, page: Page, target: ok_reply.TopicTarget, text: str) -> Posted:
        app_key, token = page.ok_application_key, page.ok_access_token
        secret = page.ok_session_secret
        if not app_key or not token or not secret:
            raise _no_credentials(page, "application key, access token and session secret")
        form = ok_api.signed_form(
            ok_reply.COMMENT_METHOD,
            ok_reply.comment_params(target, text),
            application_key=app_key,
            access_token=token,
            session_secret=secret,
        )
        body = await self._post(token, self._rest_url, chat=False, data=form)
        return ok_reply.comment_posted(target, body, page.external_id)

    async def _message(self, page: Page, target: ok_reply.ChatTarget, text: str) -> Posted:
        token = page.ok_access_token
        if not token:
            raise _no_credentials(page, "access token")
        path, payload = ok_reply.chat_message(target, text)
        url = self._graph_url + path
        body = await self._post(token, url, chat=True, params={"access_token": token}, json=payload)
        return ok_reply.chat_posted(body)

    async def _post(self, token: str, url: str, *, chat: bool, **request: Any) -> object:
        await self._wait_turn(token)
        try:
            answer = await self._http.post(url, **request)
        except _NOT_SENT as exc:
            raise _unreachable(exc, maybe_posted=False) from None
        except httpx.HTTPError as exc:
            raise _unreachable(exc, maybe_posted=True) from None  # sent, then no answer
        body = _json(answer)
        failed = ok_reply.failure(body, answer.status_code, chat=chat)
        if failed is not None:
            raise failed
        return body

    async def _wait_turn(self, token: str) -> None:
        key = hashlib.sha256(token.encode()).hexdigest()
        while (throttled := self._buckets.take(key, self._clock())) is not None:
            if throttled.retry_after_s > LONGEST_WAIT_S:
                raise SendError(
                    DeliveryFailure.RATE_LIMITED,
                    "OK: this group's own send rate is spent",
                    retryable=True,
                    retry_after_s=throttled.retry_after_s,
                )
            await self._sleep(throttled.retry_after_s)


def _no_credentials(page: Page, what: str) -> SendError:
    return SendError(DeliveryFailure.NO_CREDENTIALS, f"page {page.id} has no OK {what}")


def _unreachable(exc: httpx.HTTPError, *, maybe_posted: bool) -> SendError:
    # The class name only: an httpx message may quote the URL, and with it the token.
    return SendError(
        DeliveryFailure.PLATFORM_ERROR,
        f"OK: {type(exc).__name__}",
        retryable=True,
        maybe_posted=maybe_posted,
    )


def _json(answer: httpx.Response) -> object:
    try:
        return answer.json()
    except ValueError:
        return None
