"""Telegram answers: the `sendMessage` request that replies to an appeal's message, and what
the Bot API's answer means (the reply in ingest's key format, or a SendError). Pure: the
sender adapter does the HTTP (docs/delivery-telegram.md).

The appeal's key `chat<chat_id>/<message_id>` names both the chat to post in (the channel's
discussion group for a comment, the resident's private chat with the bot for a private
message) and the message to reply to. The reply must not go out without its link: without it
the answer would be an orphan in the group, so `allow_sending_without_reply` is false and a
deleted message fails the delivery. The text is sent without `parse_mode`: an operator's
answer is plain text, never markup.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.telegram.written import object_key

LIMIT = 4096  # sendMessage `text`: 1-4096 characters after entities parsing
DEFAULT_RETRY_AFTER_S = 5.0  # a 429 without `parameters.retry_after`

_KEY = re.compile(r"chat(-?[0-9]{1,19})/([0-9]{1,19})")
_F = DeliveryFailure


@dataclass(frozen=True)
class TelegramCall:
    """A `sendMessage` request: the chat (for rate limits) and the JSON body."""

    chat_id: int
    payload: dict[str, Any]


def plan(outgoing: Outgoing) -> TelegramCall:
    """The request that posts `outgoing` as a reply; SendError(UNSUPPORTED) if there is none."""
    found = _KEY.fullmatch(outgoing.external_id)
    if found is None:
        raise SendError(
            _F.UNSUPPORTED, f"no Telegram message to reply to in {outgoing.external_id!r}"
        )
    chat, message = int(found[1]), int(found[2])
    payload = {
        "chat_id": chat,
        "text": outgoing.text,
        "reply_parameters": {"message_id": message, "allow_sending_without_reply": False},
    }
    return TelegramCall(chat, payload)


def read_answer(status: int, body: object) -> Posted:
    """The reply Telegram made, from the HTTP status and JSON body; SendError otherwise."""
    fields = _mapping(body)
    if status >= 500:  # a JSON error or a proxy's HTML page alike
        raise SendError(_F.PLATFORM_ERROR, _detail(status, fields), retryable=True)
    if status == 200 and fields.get("ok") is True:
        return _posted(_mapping(fields.get("result")))
    if status == 200 and not isinstance(body, Mapping):
        raise _unreadable("JSON")
    raise failure(status, fields)  # without a body the status still tells 429 from 401


def _posted(message: Mapping[str, Any]) -> Posted:
    chat = _mapping(message.get("chat"))
    chat_id, message_id = _int(chat.get("id")), _int(message.get("message_id"))
    if chat_id is None or message_id is None or message_id <= 0:
        raise _unreadable("the sent message's chat and id")
    return Posted(reply_id=object_key(chat_id, message_id), reply_url=_link(chat, message_id))


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _link(chat: Mapping[str, Any], message_id: int) -> str | None:
    # Only a public group or channel (one with a username) has a link anyone can open.
    username = chat.get("username")
    if chat.get("type") in ("supergroup", "channel") and isinstance(username, str) and username:
        return f"https://t.me/{username}/{message_id}"
    return None


def failure(status: int, body: Mapping[str, Any]) -> SendError:
    """What an `ok: false` answer means: reason, retry, and the code and description."""
    code = _int(body.get("error_code")) or status
    detail = _detail(code, body)
    said = detail.lower()
    if code == 429:
        return SendError(_F.RATE_LIMITED, detail, retryable=True, retry_after_s=_retry_after(body))
    if code in (401, 404):  # a wrong or revoked token; a malformed one is "Not Found"
        return SendError(_F.INVALID_TOKEN, detail)
    if code == 403:
        if "blocked by the user" in said:
            return SendError(_F.BLOCKED_BY_USER, detail)
        if "user is deactivated" in said:
            return SendError(_F.TARGET_DELETED, detail)
        return SendError(_F.ACCESS_DENIED, detail)  # kicked, not a member, no rights
    if code == 400:
        return SendError(_bad_request(said), detail)
    if code >= 500:
        return SendError(_F.PLATFORM_ERROR, detail, retryable=True)
    return SendError(_F.PLATFORM_ERROR, detail)


def _bad_request(said: str) -> DeliveryFailure:
    if "replied not found" in said or "reply message not found" in said:
        return _F.TARGET_DELETED
    if "message is too long" in said:
        return _F.TOO_LONG
    if "chat not found" in said or "not enough rights" in said or "rights to send" in said:
        return _F.ACCESS_DENIED
    return _F.PLATFORM_ERROR


def _retry_after(body: Mapping[str, Any]) -> float:
    parameters = body.get("parameters")
    value = parameters.get("retry_after") if isinstance(parameters, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return DEFAULT_RETRY_AFTER_S
    return float(value) if math.isfinite(value) and value > 0 else DEFAULT_RETRY_AFTER_S


def _detail(code: int, body: Mapping[str, Any]) -> str:
    description = str(body.get("description") or "no description")[:300]
    return f"Telegram error {code}: {description}"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _unreadable(what: str) -> SendError:
    # Telegram said it posted, but not what: a second call would post a second message.
    return SendError(_F.OUTCOME_UNKNOWN, f"Telegram answered without {what}", maybe_posted=True)
