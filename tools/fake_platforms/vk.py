"""A fake of the VK API methods that post answers: `/vk/method/<method>` (GET query or POST
form, `access_token` and `v` among the parameters), answered like VK does, with HTTP 200 and
`{"response": ...}` or `{"error": {"error_code", "error_msg", "request_params"}}`.

The five `createComment` methods and `messages.send`. A repeated `guid` (same token) posts
nothing and answers what the first call answered; so does a repeated non-zero `random_id` to
the same peer (what VK answers for a repeat is not documented: see docs/delivery-vk.md).
`ledger.revoked_tokens` get error 5, `ledger.blocked` peers 901, and `ledger.deleted` targets,
named by ingest's object keys (`wall-1_2/3` for a comment, `wall-1_2` for a whole post,
`msg7/42` for a message), 104 for comments and 921 for a quoted message.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tools.fake_platforms.core import Ledger, PostedReply

# Failures to inject, as VK's error codes; `server_error` is an HTTP 500 from VK's front.
FAULT_ERRORS = {
    "rate_limit": (6, "Too many requests per second"),
    "flood_control": (9, "Flood control"),
    "captcha": (14, "Captcha needed"),
    "access_denied": (15, "Access denied"),
    "invalid_token": (5, "User authorization failed: invalid access_token (4)."),
    "internal_error": (10, "Internal server error"),
}
FAULTS = frozenset({*FAULT_ERRORS, "server_error"})
MESSAGE_LIMIT = 9000

# The method, the family prefix of ingest's keys, and the name of the parent's id.
_COMMENTS = {
    "wall.createComment": ("wall", "post_id"),
    "photos.createComment": ("photo", "photo_id"),
    "video.createComment": ("video", "video_id"),
    "market.createComment": ("market", "item_id"),
    "board.createComment": ("topic", "topic_id"),
}


class Refusal(Exception):
    """A VK error answer."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class _ServerError(Exception):
    pass


@dataclass
class _State:
    next_comment: int = 1001
    next_message: int = 5000
    local_ids: dict[int, int] = field(default_factory=dict)  # peer -> last conversation id
    by_guid: dict[tuple[str, str], Any] = field(default_factory=dict)
    by_random_id: dict[tuple[str, int, int], dict[str, Any]] = field(default_factory=dict)


def routes(ledger: Ledger) -> list[Route]:
    state = _State()

    async def method(request: Request) -> Response:
        name = request.path_params["method"]
        params = await _params(request)
        try:
            result = await _call(ledger, state, name, params)
        except _ServerError:
            return PlainTextResponse("Internal Server Error", status_code=500)
        except Refusal as refusal:
            return JSONResponse({"error": _error(refusal, name, params)})
        return JSONResponse({"response": result})

    return [Route("/method/{method}", method, methods=["GET", "POST"])]


async def _params(request: Request) -> dict[str, str]:
    params = dict(request.query_params)
    if request.method == "POST":
        form = await request.form()
        params |= {k: v for k, v in form.items() if isinstance(v, str)}
    return params


def _error(refusal: Refusal, name: str, params: dict[str, str]) -> dict[str, Any]:
    # VK echoes the request's parameters; the token is never among them.
    echoed = [("method", name), ("oauth", "1"), ("v", params.get("v", ""))]
    error: dict[str, Any] = {
        "error_code": refusal.code,
        "error_msg": refusal.message,
        "request_params": [{"key": k, "value": v} for k, v in echoed],
    }
    if refusal.code == 14:
        error |= {"captcha_sid": "1", "captcha_img": "https://api.vk.com/captcha.php?sid=1"}
    return error


async def _call(ledger: Ledger, state: _State, name: str, params: dict[str, str]) -> Any:
    fault = ledger.next_fault()
    if fault == "server_error":
        raise _ServerError
    if fault is not None:
        raise Refusal(*FAULT_ERRORS[fault])
    token = params.get("access_token")
    if not token:
        raise Refusal(5, "User authorization failed: no access_token passed.")
    if not params.get("v"):
        raise Refusal(8, "Invalid request: v (version) is required")
    if token in ledger.revoked_tokens:
        raise Refusal(5, "User authorization failed: invalid access_token (4).")
    if name in _COMMENTS:
        return await _comment(ledger, state, name, params, token)
    if name == "messages.send":
        return await _send(ledger, state, params, token)
    raise Refusal(3, "Unknown method passed")


async def _comment(
    ledger: Ledger, state: _State, name: str, params: dict[str, str], token: str
) -> Any:
    prefix, parent_name = _COMMENTS[name]
    owner = -_int(params, "group_id") if prefix == "topic" else _int(params, "owner_id")
    parent, text = _int(params, parent_name), _text(params)
    reply_to = params.get("reply_to_comment") if prefix != "topic" else None
    if reply_to is not None:
        reply_to = str(_int(params, "reply_to_comment"))
    target = f"{prefix}{owner}_{parent}"
    if target in ledger.deleted or f"{target}/{reply_to}" in ledger.deleted:
        raise Refusal(104, "Not found")
    guid = params.get("guid")
    if guid and (token, guid) in state.by_guid:
        return state.by_guid[token, guid]
    comment, state.next_comment = state.next_comment, state.next_comment + 1
    ledger.record(PostedReply("vk", name, target, reply_to, text, f"{target}/{comment}", token))
    # wall.createComment answers an object, the other four the bare comment id.
    stack = [int(reply_to)] if reply_to else []
    answer = {"comment_id": comment, "parents_stack": stack} if prefix == "wall" else comment
    if guid:
        state.by_guid[token, guid] = answer
    await ledger.gate()
    return answer


async def _send(ledger: Ledger, state: _State, params: dict[str, str], token: str) -> Any:
    text = _text(params)
    if len(text) > MESSAGE_LIMIT:
        raise Refusal(914, "Message is too long")
    if "random_id" not in params:
        raise Refusal(100, "One of the parameters specified was missing or invalid: random_id")
    random_id, quoted = _int(params, "random_id"), _quoted(params.get("forward"))
    many = "peer_ids" in params
    peers = _peers(params["peer_ids"]) if many else [_int(params, "peer_id")]
    items, posted = [], False
    for peer in peers:
        try:
            item, new = _deliver(ledger, state, token, peer, random_id, quoted, text)
        except Refusal as refusal:
            if not many:
                raise
            item, new = {"peer_id": peer, "error": _item_error(refusal)}, False
        items.append(item)
        posted = posted or new
    if posted:
        await ledger.gate()
    return items if many else items[0]["message_id"]


def _deliver(
    ledger: Ledger,
    state: _State,
    token: str,
    peer: int,
    random_id: int,
    quoted: int | None,
    text: str,
) -> tuple[dict[str, Any], bool]:
    if str(peer) in ledger.blocked:
        raise Refusal(901, "Can't send messages for users without permission")
    if quoted is not None and f"msg{peer}/{quoted}" in ledger.deleted:
        raise Refusal(921, "Can't forward these messages")
    seen = (token, peer, random_id)
    if random_id != 0 and seen in state.by_random_id:
        return state.by_random_id[seen], False
    local = state.local_ids[peer] = state.local_ids.get(peer, 1000) + 1
    message, state.next_message = state.next_message, state.next_message + 1
    reply_to = None if quoted is None else str(quoted)
    ledger.record(
        PostedReply("vk", "messages.send", str(peer), reply_to, text, f"msg{peer}/{local}", token)
    )
    item = {"peer_id": peer, "message_id": message, "conversation_message_id": local}
    if random_id != 0:
        state.by_random_id[seen] = item
    return item, True


def _item_error(refusal: Refusal) -> dict[str, Any]:
    return {"code": refusal.code, "description": refusal.message}


def _quoted(forward: str | None) -> int | None:
    """The conversation message id `forward` replies to, if it is a reply."""
    if not forward:
        return None
    try:
        spec = json.loads(forward)
        ids = spec.get("conversation_message_ids") or []
        return int(ids[0]) if spec.get("is_reply") and ids else None
    except (ValueError, AttributeError, TypeError, IndexError):
        raise Refusal(
            100, "One of the parameters specified was missing or invalid: forward"
        ) from None


def _peers(value: str) -> list[int]:
    try:
        return [int(peer) for peer in value.split(",")]
    except ValueError:
        raise Refusal(
            100, "One of the parameters specified was missing or invalid: peer_ids"
        ) from None


def _int(params: dict[str, str], name: str) -> int:
    try:
        return int(params[name])
    except (KeyError, ValueError):
        raise Refusal(
            100, f"One of the parameters specified was missing or invalid: {name}"
        ) from None


def _text(params: dict[str, str]) -> str:
    text = params.get("message", "")
    if not text:
        raise Refusal(100, "One of the parameters specified was missing or invalid: message")
    return text
