"""Notices as Telegram messages from the platform's bot, through the Bot API's sendMessage.

The Bot API takes the token only in the path (`/bot<token>/sendMessage`), so it is kept out
of everything that could be logged: errors name the failure, never the request, and a filter
on the `httpx` logger hides the token in its request lines (at INFO, which
`configure_logging` silences; the filter covers whoever turns them back on).
"""

import logging
import re
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from sla_monitor.notify.notices import Contact, Notice, subject, text
from sla_monitor.notify.ports import NotificationFailed

DEFAULT_API_URL = "https://api.telegram.org"


class TelegramNotifier:
    """Sends each notice to the contact's chat with the bot; skips contacts without a chat."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,  # long-lived, made in the lifespan; its timeouts apply
        token: str,
        zone: ZoneInfo | None = None,  # the deadline is shown in it; None: the body's zone
        api_url: str = DEFAULT_API_URL,
    ) -> None:
        if not token or "/" in token:
            raise ValueError("a Telegram bot token is required, as BotFather gave it")
        self._http, self._zone = http, zone
        self._url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"
        _hide_tokens_in_httpx_logs()

    def reaches(self, contact: Contact) -> bool:
        return bool(contact.telegram_chat_id)

    async def send(self, notice: Notice) -> None:
        """Send the notice's message, or raise NotificationFailed; no chat, nothing sent."""
        if not self.reaches(notice.to):
            return
        payload = {
            "chat_id": notice.to.telegram_chat_id,
            "text": f"{subject(notice)}\n\n{text(notice, self._zone)}",
            "disable_web_page_preview": True,  # the card is internal: no preview to fetch
        }
        try:
            answer = await self._http.post(self._url, json=payload)
        except httpx.HTTPError as exc:
            # The class name only: httpx's messages may quote the URL, and the token in it.
            raise NotificationFailed(f"telegram: {type(exc).__name__}", transient=True) from None
        failure = read_answer(answer.status_code, _json(answer))
        if failure is not None:
            raise failure


def read_answer(status: int, body: Any) -> NotificationFailed | None:
    """What the Bot API's answer means: None when the message was sent. 429 and 5xx are
    transient; any other refusal (chat not found, bot blocked, bad token) is not."""
    body = body if isinstance(body, dict) else {}
    if 200 <= status < 300 and body.get("ok") is True:
        return None
    code = body.get("error_code")
    code = code if isinstance(code, int) else status
    description = str(body.get("description") or f"HTTP {status}")[:200]
    parameters = body.get("parameters")
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    retry_after = float(retry_after) if isinstance(retry_after, int | float) else None
    # A 2xx that is not {"ok": true} came from something in between: try again.
    transient = code == 429 or code >= 500 or 200 <= status < 300
    return NotificationFailed(
        f"telegram: {code} {description}", transient=transient, retry_after=retry_after
    )


def _json(answer: httpx.Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        return None


class _HideTokens(logging.Filter):
    _PATTERN = re.compile(r"/bot[^/\s]+/")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = self._PATTERN.sub("/bot<hidden>/", message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


_HIDE = _HideTokens()


def _hide_tokens_in_httpx_logs() -> None:
    logger = logging.getLogger("httpx")
    if _HIDE not in logger.filters:
        logger.addFilter(_HIDE)
