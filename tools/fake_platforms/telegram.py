"""A fake of the Bot API's `sendMessage`: `/telegram/bot<token>/sendMessage`, with a JSON, form
or query body, answered in the Bot API's envelope (`{"ok": true, "result": Message}` or
`{"ok": false, "error_code", "description", "parameters"?}` with the same HTTP status).

Message ids increase per chat. `ledger.revoked_tokens` get 401; `ledger.blocked` chats 403
(a private chat: the resident blocked the bot; a group: the bot was kicked); `ledger.deleted`
messages, named `chat<chat_id>/<message_id>` like ingest's keys, cannot be replied to (400)
unless `allow_sending_without_reply`, when the message goes out as no reply at all.
"""

import json
import re
import time
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tools.fake_platforms.core import Ledger, PostedReply

FAULT_ERRORS = {
    "rate_limit": (429, "Too Many Requests: retry after 1", {"retry_after": 1}),
    "server_error": (500, "Internal Server Error", None),
    "blocked": (403, "Forbidden: bot was blocked by the user", None),
    "invalid_token": (401, "Unauthorized", None),
}
FAULTS = frozenset({*FAULT_ERRORS, "bad_gateway"})  # bad_gateway: the front's HTML 502
TEXT_LIMIT = 4096
_TOKEN = re.compile(r"([0-9]{1,20}):[A-Za-z0-9_-]{1,100}")


class Refusal(Exception):
    """A Bot API error answer."""

    def __init__(
        self, status: int, description: str, parameters: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def routes(ledger: Ledger) -> list[Route]:
    last_ids: dict[int, int] = {}  # chat -> its last message id

    async def method(request: Request) -> Response:
        token, name = request.path_params["token"], request.path_params["method"]
        fault = ledger.next_fault()
        if fault == "bad_gateway":
            return HTMLResponse("<html><body><h1>502 Bad Gateway</h1></body></html>", 502)
        try:
            if fault is not None:
                raise Refusal(*FAULT_ERRORS[fault])
            bot = _bot_id(ledger, token)
            if name.lower() != "sendmessage":  # method names are case-insensitive
                raise Refusal(404, "Not Found")
            body = await _body(request)
            result = await _send(ledger, last_ids, token, bot, body)
        except Refusal as refusal:
            return _error(refusal)
        return JSONResponse({"ok": True, "result": result})

    return [Route("/bot{token}/{method}", method, methods=["GET", "POST"])]


def _error(refusal: Refusal) -> Response:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": refusal.status,
        "description": refusal.description,
    }
    if refusal.parameters:
        body["parameters"] = dict(refusal.parameters)
    return JSONResponse(body, status_code=refusal.status)


def _bot_id(ledger: Ledger, token: str) -> int:
    found = _TOKEN.fullmatch(token)
    if found is None:
        raise Refusal(404, "Not Found")
    if token in ledger.revoked_tokens:
        raise Refusal(401, "Unauthorized")
    return int(found[1])


async def _body(request: Request) -> dict[str, Any]:
    body: dict[str, Any] = dict(request.query_params)
    if request.method != "POST":
        return body
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            sent = await request.json()
        except ValueError:
            raise Refusal(400, "Bad Request: can't parse JSON object") from None
        return body | (sent if isinstance(sent, dict) else {})
    form = await request.form()
    return body | {k: v for k, v in form.items() if isinstance(v, str)}


async def _send(
    ledger: Ledger, last_ids: dict[int, int], token: str, bot: int, body: dict[str, Any]
) -> dict[str, Any]:
    chat = _chat(body.get("chat_id"))
    text = body.get("text")
    if not isinstance(text, str) or not text:
        raise Refusal(400, "Bad Request: message text is empty")
    if len(text) > TEXT_LIMIT:
        raise Refusal(400, "Bad Request: message is too long")
    if str(chat) in ledger.blocked:
        if chat > 0:
            raise Refusal(403, "Forbidden: bot was blocked by the user")
        raise Refusal(403, "Forbidden: bot was kicked from the supergroup chat")
    replied = _replied(ledger, chat, body.get("reply_parameters"))
    message_id = last_ids[chat] = last_ids.get(chat, 1000) + 1
    reply_to = None if replied is None else str(replied)
    key = f"chat{chat}/{message_id}"
    ledger.record(PostedReply("telegram", "sendMessage", str(chat), reply_to, text, key, token))
    await ledger.gate()
    chat_object = {"id": chat, "type": "private" if chat > 0 else "supergroup"}
    result: dict[str, Any] = {
        "message_id": message_id,
        "from": {"id": bot, "is_bot": True, "first_name": "Fake bot", "username": "fake_bot"},
        "chat": chat_object,
        "date": int(time.time()),
        "text": text,
    }
    if replied is not None:
        result["reply_to_message"] = {"message_id": replied, "chat": chat_object, "date": 0}
    return result


def _chat(value: object) -> int:
    if value is None or value == "":
        raise Refusal(400, "Bad Request: chat_id is empty")
    try:
        return int(str(value))
    except ValueError:
        raise Refusal(400, "Bad Request: chat not found") from None


def _replied(ledger: Ledger, chat: int, parameters: object) -> int | None:
    """The message the new one replies to; None when there is none (or it may go without)."""
    if isinstance(parameters, str):  # a form body carries it JSON-serialised
        try:
            parameters = json.loads(parameters)
        except ValueError:
            raise Refusal(400, "Bad Request: can't parse reply parameters JSON object") from None
    if parameters is None:
        return None
    if not isinstance(parameters, dict) or not isinstance(parameters.get("message_id"), int):
        raise Refusal(400, "Bad Request: invalid reply parameters")
    replied: int = parameters["message_id"]
    if f"chat{chat}/{replied}" not in ledger.deleted and f"{chat}/{replied}" not in ledger.deleted:
        return replied
    if parameters.get("allow_sending_without_reply") is True:
        return None
    raise Refusal(400, "Bad Request: message to be replied not found")
