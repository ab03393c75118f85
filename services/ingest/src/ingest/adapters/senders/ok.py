"""Posting answers on OK with the page's credentials: comments under group topics through the
REST API (`fb.do`, a signed form body, as the poller calls it) and messages in the group's
chat through the Bot API (Graph API).

The Bot API documents its token only as the `access_token` query parameter: httpx's request
lines are silenced and filtered (`calls.hide_tokens_in_httpx_logs`). What to send and what
each answer means is decided in `ingest.domain.delivery.ok`.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from appeals_common.events import DeliveryFailure
from ingest.adapters.senders.calls import (
    Pace,
    call,
    hide_tokens_in_httpx_logs,
    json_or_none,
    per_second,
    token_key,
)
from ingest.domain.delivery import ok as ok_reply
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from ingest.domain.polling import ok_api

DEFAULT_REST_URL = "https://api.ok.ru/fb.do"
DEFAULT_GRAPH_URL = "https://api.ok.ru/graph"
# No published limit for a group's calls (NOT VERIFIED): the poller's conservative rate.
DEFAULT_RATE_PER_SECOND = 3.0


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
        self._buckets = per_second(rate_per_second)
        self._pace = Pace("OK", clock, sleep)
        hide_tokens_in_httpx_logs()

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
        await self._pace.wait(self._buckets, token_key(token))
        answer = await call(self._http, "OK", "POST", url, **request)
        body = json_or_none(answer)
        failed = ok_reply.failure(body, answer.status_code, chat=chat)
        if failed is not None:
            raise failed
        return body


def _no_credentials(page: Page, what: str) -> SendError:
    return SendError(DeliveryFailure.NO_CREDENTIALS, f"page {page.id} has no OK {what}")
