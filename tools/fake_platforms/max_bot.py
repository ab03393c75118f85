"""A fake of MAX's Bot API for answers (OpenAPI "Max Bot API" 0.0.33, dev.max.ru):

- `POST /messages?user_id=` or `?chat_id=`, body `{text, link: {type: reply, mid}}`: a message
  in a dialog or a group chat; answers `{message: {sender, recipient, timestamp, link, body:
  {mid, seq, text}, url}}`;
- `POST /messages/{mid}/comments`, the same body without attachments: a comment under a
  channel post; answers `{message: ...}` with no `url`;
- `GET /messages/{mid}`: one message, to learn its chat (`recipient.chat_id`).

The bot token goes in `Authorization`; errors are `{code, message}` with the HTTP status. The
fake knows no resident's message: one it did not post is in the group chat `chat_of(mid)`,
unless deleted (`/_fake/max/delete`). Blocked targets (`/_fake/max/block`) are user ids, chat
ids or post mids.
"""

import hashlib
import itertools
import json
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tools.fake_platforms.core import Ledger, PostedReply

# rate_limit 429 (with Retry-After), server_error 500, unavailable 503, blocked 403
# chat.denied, invalid_token 401 verify.token: one call each.
FAULTS = frozenset({"rate_limit", "server_error", "unavailable", "blocked", "invalid_token"})
BOT_USER_ID = 7000000001
TEXT_LIMIT = 4000
_FAULT_ANSWERS: dict[str, tuple[int, str, str]] = {
    "rate_limit": (429, "too.many.requests", "Too many requests"),
    "server_error": (500, "internal.error", "Internal server error"),
    "unavailable": (503, "service.unavailable", "Service unavailable"),
    "blocked": (403, "chat.denied", "Bot has no access to this chat"),
    "invalid_token": (401, "verify.token", "Invalid access_token"),
}
RETRY_AFTER_S = 2  # what the fake's 429 asks for (whether MAX sends Retry-After: NOT VERIFIED)


def chat_of(mid: str) -> int:
    """The group chat the fake places a message it did not post in (stable per mid)."""
    return -(10**13 + int(hashlib.sha256(mid.encode()).hexdigest()[:8], 16))


def _error(status: int, code: str, message: str) -> Response:
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 429 else None
    return JSONResponse({"code": code, "message": message}, status, headers=headers)


class _Max:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.chats: dict[str, int] = {}  # the chats of the messages the fake posted
        self.seq = itertools.count(1)

    def refused(self, request: Request) -> Response | None:
        if (fault := self.ledger.next_fault()) is not None:
            return _error(*_FAULT_ANSWERS[fault])
        token = request.headers.get("Authorization")
        if not token or token in self.ledger.revoked_tokens:
            return _error(401, "verify.token", "Invalid access_token")
        return None

    async def send(self, request: Request) -> Response:
        if (refused := self.refused(request)) is not None:
            return refused
        body, problem = await _new_body(request, comments=False)
        query = request.query_params
        ids = [(n, query[n]) for n in ("user_id", "chat_id") if n in query]
        if problem is None and (len(ids) != 1 or not ids[0][1].lstrip("-").isdigit()):
            problem = "exactly one of user_id, chat_id is required"
        if problem is not None:
            return _error(400, "proto.payload", problem)
        name, value = ids[0]
        if value in self.ledger.blocked:
            return _error(403, "chat.denied", "dialog.suspended: the user stopped the bot")
        recipient = (
            {"chat_id": int(value), "chat_type": "chat"}
            if name == "chat_id"
            else {"chat_id": None, "chat_type": "dialog", "user_id": int(value)}
        )
        target = f"{name.removesuffix('_id')}:{value}"
        return await self._post(request, body, target, recipient, comment=False)

    async def comment(self, request: Request) -> Response:
        if (refused := self.refused(request)) is not None:
            return refused
        post = request.path_params["mid"]
        body, problem = await _new_body(request, comments=True)
        if problem is not None:
            return _error(400, "proto.payload", problem)
        if post in self.ledger.deleted:
            return _error(404, "not.found", "Message not found")
        if post in self.ledger.blocked:
            return _error(403, "chat.denied", "Bot cannot comment in this channel")
        recipient = {"chat_id": None, "chat_type": "channel", "post_id": post}
        return await self._post(request, body, f"post:{post}", recipient, comment=True)

    async def read(self, request: Request) -> Response:
        if (refused := self.refused(request)) is not None:
            return refused
        mid = request.path_params["mid"]
        if mid in self.ledger.deleted:
            return _error(404, "not.found", "Message not found")
        chat = self.chats.get(mid, chat_of(mid))
        return JSONResponse(
            {
                "sender": {"user_id": 42, "first_name": "Житель", "is_bot": False},
                "recipient": {"chat_id": chat, "chat_type": "chat"},
                "timestamp": int(time.time() * 1000),
                "body": {"mid": mid, "seq": next(self.seq), "text": None},
                "url": None,
            }
        )

    async def _post(
        self,
        request: Request,
        body: dict[str, Any],
        target: str,
        recipient: dict[str, Any],
        *,
        comment: bool,
    ) -> Response:
        link = body.get("link")
        replied = link["mid"] if isinstance(link, dict) else None
        if replied is not None and replied in self.ledger.deleted:
            return _error(404, "not.found", "Message to reply to not found")
        mid = f"mid.{uuid.uuid4().hex}"
        if recipient.get("chat_type") == "chat":
            self.chats[mid] = recipient["chat_id"]
        method = "POST /messages/{mid}/comments" if comment else "POST /messages"
        token = request.headers["Authorization"]
        self.ledger.record(
            PostedReply("max", method, target, replied, body.get("text") or "", mid, token)
        )
        await self.ledger.gate()
        message: dict[str, Any] = {
            "sender": {"user_id": BOT_USER_ID, "first_name": "Госпаблик", "is_bot": True},
            "recipient": recipient,
            "timestamp": int(time.time() * 1000),
            "link": None if replied is None else {"type": "reply", "message": {"mid": replied}},
            "body": {"mid": mid, "seq": next(self.seq), "text": body.get("text")},
        }
        if not comment:  # a group chat message has a link; dialogs and comments have none
            public = recipient["chat_type"] == "chat"
            message["url"] = f"https://max.ru/c/{recipient['chat_id']}/{mid}" if public else None
        return JSONResponse({"message": message})


async def _new_body(request: Request, *, comments: bool) -> tuple[dict[str, Any], str | None]:
    """The NewMessageBody / NewCommentBody, or what is wrong with it."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        return {}, "body: JSON expected"
    if not isinstance(body, dict):
        return {}, "body: an object expected"
    text, link = body.get("text"), body.get("link")
    if not isinstance(text, str) or not text:
        return body, "text: required in this fake (no attachments)"
    if len(text) > TEXT_LIMIT:
        return body, f"text: size must be between 0 and {TEXT_LIMIT}"
    if comments and body.get("attachments"):
        return body, "attachments: not allowed in comments"
    if link is not None and not (
        isinstance(link, dict)
        and link.get("type") in ("reply", "forward")
        and isinstance(link.get("mid"), str)
    ):
        return body, "link: {type: reply|forward, mid} expected"
    return body, None


def routes(ledger: Ledger) -> list[Route]:
    """The MAX Bot API routes of this fake, recording into `ledger`."""
    fake = _Max(ledger)
    return [
        Route("/messages", fake.send, methods=["POST"]),
        Route("/messages/{mid}/comments", fake.comment, methods=["POST"]),
        Route("/messages/{mid}", fake.read, methods=["GET"]),
    ]
