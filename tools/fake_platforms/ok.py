"""A fake of the two OK APIs answers go through:

- the REST API, `GET|POST /fb.do` (apiok.ru): `method=discussions.addDiscussionComment` with
  `entityType=GROUP_TOPIC`, `entityId`, `comment`, `reply_to_comment_id`, `as_admin`, plus
  `application_key`, `format=json`, `access_token` and `sig` (md5 of the other parameters
  sorted as `name=value`, then the session secret; the fake expects the session secret of an
  application with the secret key APPLICATION_SECRET_KEY: `session_secret_for(token)`). It
  answers the new comment's id as a JSON string;
- the Bot API (Graph API), `POST /graph/me/messages/chat:<id>?access_token=` with
  `{recipient: {chat_id}, message: {text, reply_to}}`; it answers `{message_id}`.

Errors are OK's envelope `{error_code, error_msg, error_data}` with HTTP 200, for both APIs
(the Bot API's own error format is not documented). Blocked targets (`/_fake/ok/block`) are
topic ids or chat ids; deleted ones topic ids, comment ids, chat ids or message ids.
"""

import base64
import hashlib
import itertools
import json
import urllib.parse
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tools.fake_platforms.core import Ledger, PostedReply

# rate_limit: 8 FLOOD_BLOCKED; server_error: HTTP 500; service: 2 SERVICE; blocked: 456
# GROUP_RESTRICTION (REST) or 458 PRIVACY_RESTRICTION (Bot API); invalid_token: 102.
FAULTS = frozenset({"rate_limit", "server_error", "service", "blocked", "invalid_token"})
APPLICATION_SECRET_KEY = "fake-ok-application-secret"
COMMENT_METHOD = "discussions.addDiscussionComment"
_FAULT_ERRORS = {
    "rate_limit": (8, "FLOOD_BLOCKED : Flood blocked"),
    "service": (2, "SERVICE : Service is temporary unavailable"),
    "invalid_token": (102, "PARAM_SESSION_EXPIRED : Session expired"),
}


def session_secret_for(access_token: str) -> str:
    """The session secret OK derives for a token: md5(access_token + application secret)."""
    return hashlib.md5((access_token + APPLICATION_SECRET_KEY).encode()).hexdigest()


def _sig(params: dict[str, str], session_secret: str) -> str:
    signed = "".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("sig", "access_token"))
    return hashlib.md5((signed + session_secret).encode()).hexdigest()


def _error(code: int, message: str) -> Response:
    return JSONResponse({"error_code": code, "error_msg": message, "error_data": None})


class _Ok:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.seq = itertools.count(1)

    def fault(self, *, chat: bool) -> Response | None:
        fault = self.ledger.next_fault()
        if fault is None:
            return None
        if fault == "server_error":
            return PlainTextResponse("Internal Server Error", 500)
        if fault == "blocked":
            if chat:
                return _error(458, "PRIVACY_RESTRICTION : user does not accept group messages")
            return _error(456, "GROUP_RESTRICTION : the group restricted this operation")
        return _error(*_FAULT_ERRORS[fault])

    def token_refusal(self, token: str | None) -> Response | None:
        if not token:
            return _error(453, "SESSION_REQUIRED : access_token required")
        if token in self.ledger.revoked_tokens:
            return _error(102, "PARAM_SESSION_EXPIRED : Session expired")
        return None

    async def rest(self, request: Request) -> Response:
        if (failed := self.fault(chat=False)) is not None:
            return failed
        form = dict(urllib.parse.parse_qsl((await request.body()).decode(errors="replace")))
        params = dict(request.query_params) | form
        if (refused := self.rest_refusal(params)) is not None:
            return refused
        if params.get("method") != COMMENT_METHOD:
            return _error(3, f"METHOD : {params.get('method')} is not in this fake")
        return await self.add_comment(params)

    def rest_refusal(self, params: dict[str, str]) -> Response | None:
        if not params.get("application_key"):
            return _error(101, "PARAM_API_KEY : application_key required")
        token = params.get("access_token")
        if (refused := self.token_refusal(token)) is not None:
            return refused
        if params.get("format") != "json":
            return _error(100, "PARAM : format=json expected by this fake")
        if _sig(params, session_secret_for(token or "")) != params.get("sig"):
            return _error(104, "PARAM_SIGNATURE : Invalid signature")
        return None

    async def add_comment(self, params: dict[str, str]) -> Response:
        topic, text = params.get("entityId", ""), params.get("comment", "")
        replied = params.get("reply_to_comment_id")
        if params.get("entityType") != "GROUP_TOPIC" or not topic or not text:
            return _error(100, "PARAM : entityType=GROUP_TOPIC, entityId, comment required")
        if topic in self.ledger.deleted:
            return _error(300, "NOT_FOUND : topic not found")
        if replied is not None and replied in self.ledger.deleted:
            return _error(700, "COMMENT_NOT_FOUND : comment not found")
        if topic in self.ledger.blocked:
            return _error(456, "GROUP_RESTRICTION : comments are closed")
        raw = f"{topic}:{next(self.seq)}:{uuid.uuid4().hex[:12]}".encode()
        comment_id = base64.b64encode(raw).decode()  # like OK's: base64, "/" and "=" included
        token = params["access_token"]
        reply = PostedReply(
            "ok", COMMENT_METHOD, f"topic:{topic}", replied, text, comment_id, token
        )
        self.ledger.record(reply)
        await self.ledger.gate()
        return JSONResponse(comment_id)

    async def chat_message(self, request: Request) -> Response:
        if (failed := self.fault(chat=True)) is not None:
            return failed
        token = request.query_params.get("access_token")
        if (refused := self.token_refusal(token)) is not None:
            return refused
        chat = request.path_params["chat"]
        body, problem = await _chat_body(request, chat)
        if problem is not None:
            return _error(100, f"PARAM : {problem}")
        message = body["message"]
        replied = message.get("reply_to")
        if chat in self.ledger.deleted:
            return _error(705, "CHAT_NOT_FOUND : chat not found")
        if replied is not None and replied in self.ledger.deleted:
            return _error(706, "MESSAGE_NOT_ACTIVE : message not found")
        if chat in self.ledger.blocked:
            return _error(458, "PRIVACY_RESTRICTION : user does not accept group messages")
        mid = f"mid:{chat.removeprefix('chat:')}.{uuid.uuid4().hex[:15]}"
        text = message["text"]
        reply = PostedReply("ok", "graph/me/messages", chat, replied, text, mid, token or "")
        self.ledger.record(reply)
        await self.ledger.gate()
        return JSONResponse({"message_id": mid})


async def _chat_body(request: Request, chat: str) -> tuple[dict[str, Any], str | None]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return {}, "a JSON body expected"
    if not isinstance(body, dict) or not chat.startswith("chat:"):
        return {}, "a JSON object to a chat:<id> expected"
    recipient, message = body.get("recipient"), body.get("message")
    if not isinstance(recipient, dict) or recipient.get("chat_id") != chat:
        return body, "recipient.chat_id must be the chat of the path"
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return body, "message.text required in this fake"
    if not message["text"] or not isinstance(message.get("reply_to", ""), str):
        return body, "message.text must not be empty; reply_to a mid"
    return body, None


def routes(ledger: Ledger) -> list[Route]:
    """OK's REST and Bot API routes of this fake, recording into `ledger`."""
    fake = _Ok(ledger)
    return [
        Route("/fb.do", fake.rest, methods=["GET", "POST"]),
        Route("/graph/me/messages/{chat}", fake.chat_message, methods=["POST"]),
    ]
