"""Answering on MAX through its Bot API (OpenAPI "Max Bot API" 0.0.33, dev.max.ru): where a
reply goes, what to send, the reply's id as ingest keys it, and what each error means.

Ingest's object key (`ingest/domain/max_bot`, `ingest/domain/polling`) says which of three
places the resident wrote in:
- `<mid>` of kind `private_message`: a dialog with the page's bot. The reply goes to
  `POST /messages?user_id=<author>`, linked to the message (`link: {type: reply, mid}`).
- `<mid>` of kind `comment`: a group chat. The key does not name the chat, so the sender reads
  the message first (`GET /messages/{mid}`: `recipient.chat_id`), then posts with `chat_id`.
- `post<post mid>/<comment mid>`: a comment under a channel post. The reply is a comment too,
  `POST /messages/{post mid}/comments` with the same reply link.
The reply id is what ingest computes when it later sees the reply: the new `mid` (the
webhook's `message_created` of the bot's own message), or `post<post mid>/<new mid>` (the
poller). Text goes without `format`, so an answer is never read as markup.
"""

import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from appeals_common.events import AppealKind, DeliveryFailure
from ingest.domain.delivery.model import Outgoing, Posted, SendError

LIMIT = 4000  # NewMessageBody.text and NewCommentBody.text: maxLength 4000
_MID = re.compile(r"[A-Za-z0-9._-]{1,256}")  # the schema's `(mid.)?[a-zA-Z0-9_\-]+`
_USER_ID = re.compile(r"[1-9][0-9]{0,18}")
_Failure = DeliveryFailure


@dataclass(frozen=True)
class Target:
    """The message or comment replied to, and where the reply goes: a user's dialog, the
    comments of a channel post, or (neither) the group chat the message is in."""

    reply_to: str
    user_id: int | None = None
    post_id: str | None = None

    @property
    def needs_chat(self) -> bool:
        """A group chat message: its chat is read before the reply can be posted."""
        return self.user_id is None and self.post_id is None


@dataclass(frozen=True)
class Request:
    """One call: a path under the API's base URL, its query and its JSON body."""

    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None


def target(outgoing: Outgoing) -> Target:
    """Where to reply to the appeal; SendError(UNSUPPORTED) for a key MAX cannot answer."""
    key, kind = outgoing.external_id, outgoing.kind
    if kind is AppealKind.COMMENT and key.startswith("post") and "/" in key:
        post, _, comment = key.removeprefix("post").partition("/")
        if _MID.fullmatch(post) and _MID.fullmatch(comment):
            return Target(comment, post_id=post)
    elif _MID.fullmatch(key) and kind is AppealKind.COMMENT:
        return Target(key)
    elif (
        _MID.fullmatch(key)
        and kind is AppealKind.PRIVATE_MESSAGE
        and _USER_ID.fullmatch(outgoing.author_id)
    ):
        return Target(key, user_id=int(outgoing.author_id))
    raise SendError(_Failure.UNSUPPORTED, f"MAX: no reply target for {kind} {key[:80]!r}")


def lookup(target: Target) -> Request:
    """Read the message replied to (for its chat)."""
    return Request(f"/messages/{quote(target.reply_to, safe='')}")


def send(target: Target, text: str, chat_id: int | None = None) -> Request:
    """Post `text` in reply to the target; a group chat's `chat_id` comes from `lookup`."""
    body: dict[str, Any] = {"text": text, "link": {"type": "reply", "mid": target.reply_to}}
    if target.post_id is not None:
        return Request(f"/messages/{quote(target.post_id, safe='')}/comments", body=body)
    if target.user_id is not None:
        return Request("/messages", {"user_id": str(target.user_id)}, body)
    if chat_id is None:
        raise ValueError("a group chat message is answered in its chat: look it up first")
    return Request("/messages", {"chat_id": str(chat_id)}, body)


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Recipient(_Object):
    chat_id: int


class _Read(_Object):
    recipient: _Recipient


class _Body(_Object):
    mid: str = Field(min_length=1, max_length=256)


class _Message(_Object):
    body: _Body
    url: str | None = Field(default=None, max_length=2048)


class _Sent(_Object):
    message: _Message


def chat_of(body: object) -> int:
    """The chat of a message read with `lookup`."""
    try:
        return _Read.model_validate(body).recipient.chat_id
    except ValidationError:
        raise SendError(_Failure.PLATFORM_ERROR, "MAX message without recipient.chat_id") from None


def posted(target: Target, body: object) -> Posted:
    """The reply from a 200 answer (`{message: {body: {mid}, url}}`), keyed as ingest keys it."""
    try:
        message = _Sent.model_validate(body).message
    except ValidationError:
        # Posted, most likely, but with no id to know it by: a person must look.
        raise SendError(
            _Failure.PLATFORM_ERROR,
            "MAX answered 200 without message.body.mid",
            retryable=True,
            maybe_posted=True,
        ) from None
    if target.post_id is not None:
        return Posted(f"post{target.post_id}/{message.body.mid}")  # comments have no URL
    url = message.url if message.url and message.url.startswith("https://") else None
    return Posted(message.body.mid, url)


def error(status: int, body: object, *, target: Target, retry_after_s: float | None) -> SendError:
    """What an answer other than 200 means (`{code, message}` with the HTTP status)."""
    code, message = _code(body)
    detail = f"MAX {status} {code}: {message}"
    if status == 401:
        return SendError(_Failure.INVALID_TOKEN, detail)
    if status == 403:
        # In a dialog the only refusal is the resident's: they stopped or blocked the bot.
        blocked = target.user_id is not None
        return SendError(_Failure.BLOCKED_BY_USER if blocked else _Failure.ACCESS_DENIED, detail)
    if status == 404:
        return SendError(_Failure.TARGET_DELETED, detail)
    if status == 429:
        return SendError(_Failure.RATE_LIMITED, detail, retryable=True, retry_after_s=retry_after_s)
    if status >= 500:
        return SendError(_Failure.PLATFORM_ERROR, detail, retryable=True)
    if status == 400 and "text" in f"{code} {message}".lower() and _says_length(message):
        return SendError(_Failure.TOO_LONG, detail)
    return SendError(_Failure.PLATFORM_ERROR, detail)


def retry_after(value: str | None) -> float | None:
    """A `Retry-After` header in seconds (1 s to 1 h), or None when absent or unreadable."""
    try:
        seconds = float(value or "")
    except ValueError:
        return None
    return min(max(seconds, 1.0), 3600.0) if math.isfinite(seconds) else None


def _code(body: object) -> tuple[str, str]:
    if not isinstance(body, dict):
        return "-", "no JSON error body"
    return str(body.get("code", "-"))[:80], str(body.get("message", ""))[:200]


def _says_length(message: str) -> bool:
    lowered = message.lower()
    return any(word in lowered for word in ("length", "long", "size", str(LIMIT)))
