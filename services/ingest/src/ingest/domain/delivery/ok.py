"""Answering on OK (Odnoklassniki): where a reply goes, what to send, the reply's id as ingest
keys it, and what each of OK's error codes means.

Two kinds of appeal, told apart by ingest's object key (`ingest/domain/ok`,
`ingest/domain/polling`):
- `mid:<chat>.<n>` (kind `private_message`): a resident's message in the group's chat, from
  the Bot API webhook. The reply goes through the Bot API (Graph API): `POST
  /graph/me/messages/chat:<chat>` with `{recipient: {chat_id}, message: {text, reply_to}}`.
  The key does not name the chat; OK's mids begin with it (`mid:C3ecb9d02a600.15cea67d78d2059`
  is in `chat:C3ecb9d02a600` in every example of apiok.ru): NOT VERIFIED beyond those.
- `topic<topic id>/<comment id>` (kind `comment`): a comment under a group topic, from the
  poller. The reply is a comment of the group through the REST API (`fb.do`, signed as the
  poller signs): `discussions.addDiscussionComment` with `entityType=GROUP_TOPIC`,
  `entityId=<topic>`, `reply_to_comment_id=<comment>`, `as_admin=true`. Its key is
  `topic<topic id>/<new id>`, what the poller computes when it reads the group's reply.
OK answers REST errors with HTTP 200 and `{error_code, error_msg, error_data}`; the Bot API is
read the same way (its error format is not documented: NOT VERIFIED).
"""

import re
from dataclasses import dataclass
from typing import Any

from appeals_common.events import AppealKind, DeliveryFailure
from ingest.domain.delivery.model import Outgoing, Posted, SendError

# No length limit found for OK chat messages or topic comments (NOT VERIFIED): a conservative
# part length, so that a long answer is split rather than refused.
LIMIT = 2000
COMMENT_METHOD = "discussions.addDiscussionComment"
_CHAT_MID = re.compile(r"mid:([A-Za-z0-9]{1,64})\.[A-Za-z0-9]{1,64}")
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COMMENT = re.compile(r"[A-Za-z0-9+/=_:.-]{1,256}")
_F = DeliveryFailure

# OK's error codes (apiok.ru "Коды ошибок", as open-source clients list them), by meaning.
_INVALID_TOKEN = {101, 102, 103, 104, 105, 453}  # key, session expired or wrong, signature
_ACCESS = {10, 24, 50, 160, 200, 210, 456, 457}  # permission, not admin, group restriction
_TARGET_GONE = {140, 141, 300, 700, 702, 705, 706}  # message, comment, chat not found
_FLOOD = {7, 8, 9}  # ACTION_BLOCKED, FLOOD_BLOCKED, IP_BLOCKED: temporary
_TRANSIENT = {1, 2, 30, 31, 9999}  # UNKNOWN, SERVICE, NETWORK(_TIMEOUT), SYSTEM
_REFUSED_BY_USER = {455, 458, 801, 1102}  # friend/privacy restriction, user unavailable
_HUMAN_CHECK = {402, 403, 514}  # captcha, human check, verification required


@dataclass(frozen=True)
class ChatTarget:
    """A message in the group's chat: `chat_id` as `chat:<id>`, `reply_to` its mid."""

    chat_id: str
    reply_to: str


@dataclass(frozen=True)
class TopicTarget:
    """A comment under a group topic."""

    topic_id: str
    comment_id: str


Target = ChatTarget | TopicTarget


def target(outgoing: Outgoing) -> Target:
    """Where to reply to the appeal; SendError(UNSUPPORTED) for a key OK cannot answer."""
    key, kind = outgoing.external_id, outgoing.kind
    if kind is AppealKind.COMMENT and key.startswith("topic"):
        topic, _, comment = key.removeprefix("topic").partition("/")
        if _TOPIC.fullmatch(topic) and _COMMENT.fullmatch(comment):
            return TopicTarget(topic, comment)
    elif kind is AppealKind.PRIVATE_MESSAGE and (found := _CHAT_MID.fullmatch(key)):
        return ChatTarget(f"chat:{found.group(1)}", key)
    raise SendError(_F.UNSUPPORTED, f"OK: no reply target for {kind} {key[:80]!r}")


def chat_message(target: ChatTarget, text: str) -> tuple[str, dict[str, Any]]:
    """The Bot API path (under `.../graph`) and JSON body of a reply in the chat."""
    body = {
        "recipient": {"chat_id": target.chat_id},
        "message": {"text": text, "reply_to": target.reply_to},
    }
    return f"/me/messages/{target.chat_id}", body


def comment_params(target: TopicTarget, text: str) -> dict[str, str]:
    """The parameters of `discussions.addDiscussionComment` (to be signed)."""
    return {
        "entityType": "GROUP_TOPIC",
        "entityId": target.topic_id,
        "comment": text,
        "reply_to_comment_id": target.comment_id,
        "as_admin": "true",  # the group's official answer, not its admin's own comment
    }


def chat_posted(body: object) -> Posted:
    """The reply from the Bot API's answer (`{message_id}`)."""
    found = body.get("message_id") if isinstance(body, dict) else None
    if isinstance(found, str) and found:
        return Posted(found)
    raise _unreadable("OK answered without message_id")


def comment_posted(target: TopicTarget, body: object, group_id: str) -> Posted:
    """The reply from `discussions.addDiscussionComment`'s answer: the new comment's id, as a
    bare JSON string or `{id}` (the answer's form is not documented: both are read)."""
    found = body.get("id") if isinstance(body, dict) else body
    if isinstance(found, int) and not isinstance(found, bool):
        found = str(found)
    if not isinstance(found, str) or not _COMMENT.fullmatch(found):
        raise _unreadable("OK answered without the comment's id")
    # OK gives no link to one comment: the topic's, where the reply is shown.
    url = f"https://ok.ru/group/{group_id}/topic/{target.topic_id}"
    return Posted(f"topic{target.topic_id}/{found}", url)


def failure(body: object, status: int, *, chat: bool) -> SendError | None:
    """Why the call failed (an error body, whatever the HTTP status; or the status), or None
    for a 200 answer that is not an error."""
    if isinstance(body, dict) and "error_code" in body:
        return _error(body.get("error_code"), str(body.get("error_msg", ""))[:200], chat=chat)
    if status == 200:
        return None
    detail = f"OK HTTP {status}"
    if status == 429:
        return SendError(_F.RATE_LIMITED, detail, retryable=True)
    if status >= 500:
        return SendError(_F.PLATFORM_ERROR, detail, retryable=True)
    if status in (401, 403):
        return SendError(_F.INVALID_TOKEN if status == 401 else _F.ACCESS_DENIED, detail)
    return SendError(_F.PLATFORM_ERROR, detail)


def _error(raw: object, message: str, *, chat: bool) -> SendError:
    code = raw if isinstance(raw, int) and not isinstance(raw, bool) else -1
    detail = f"OK {raw} {message}"
    if code in _INVALID_TOKEN:
        return SendError(_F.INVALID_TOKEN, detail)
    if code in _ACCESS:
        return SendError(_F.ACCESS_DENIED, detail)
    if code in _TARGET_GONE:
        return SendError(_F.TARGET_DELETED, detail)
    if code in _REFUSED_BY_USER:
        # In the chat a resident refused the group's messages; under a topic, only access.
        return SendError(_F.BLOCKED_BY_USER if chat else _F.ACCESS_DENIED, detail)
    if code in _FLOOD:
        return SendError(_F.FLOOD_CONTROL, detail, retryable=True)
    if code == 11:  # LIMIT_REACHED
        return SendError(_F.RATE_LIMITED, detail, retryable=True)
    if code in _TRANSIENT:
        return SendError(_F.PLATFORM_ERROR, detail, retryable=True)
    if code in _HUMAN_CHECK:
        return SendError(_F.CAPTCHA, detail)
    if code == 511:  # IDS_BLOCKED: the anti-spam check refused it; repeating will not help
        return SendError(_F.FLOOD_CONTROL, detail)
    if code == 601:  # MEDIA_TOPIC_TEXT_LIMIT
        return SendError(_F.TOO_LONG, detail)
    return SendError(_F.PLATFORM_ERROR, detail)  # PARAM, METHOD, CENSOR_MATCH, ...


def _unreadable(what: str) -> SendError:
    # Posted, most likely, but with no id to know it by: a person must look.
    return SendError(_F.PLATFORM_ERROR, what, retryable=True, maybe_posted=True)
