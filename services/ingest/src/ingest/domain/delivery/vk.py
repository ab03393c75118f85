"""VK answers: which API method posts a reply to an appeal's object, with which parameters, and
what VK's answer means (the reply in ingest's key format, or a SendError). Pure: the sender
adapter does the HTTP (docs/delivery-vk.md).

A comment is answered with the `createComment` method of its family, linked to the resident's
comment by `reply_to_comment`: that link is how ingest's own dispatch recognises the page's
comment as the answer (a board has no such parameter). A private message is answered with
`messages.send` to the dialog, quoting the resident's message (`forward` with `is_reply`),
which is how ingest recognises `message_reply`. `peer_ids` rather than `peer_id`: only that
form answers with the new message's `conversation_message_id`, the id ingest keys messages by.
"""

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from ingest.domain.vk import messages
from ingest.domain.vk.comments import FAMILIES, Family, object_key

# messages.send takes 9000 characters (vk-api-schema); no limit for comments is documented,
# so the smaller, common 4096 is what we split at (docs/delivery-vk.md, "Not confirmed").
LIMIT = 4096

_ID = "([0-9]{1,19})"
_COMMENT_KEY = re.compile(rf"(wall|photo|video|market|topic)(-?[0-9]{{1,19}})_{_ID}/{_ID}")
_MESSAGE_KEY = re.compile(rf"msg(-?[0-9]{{1,19}})/{_ID}")
_FAMILY = {family.prefix: family for family in FAMILIES.values()}
# The method of each family, and the name of its parent object's id.
_METHOD = {
    "wall": ("wall.createComment", "post_id"),
    "photo": ("photos.createComment", "photo_id"),
    "video": ("video.createComment", "video_id"),
    "market": ("market.createComment", "item_id"),
    "topic": ("board.createComment", "topic_id"),
}


@dataclass(frozen=True)
class CommentTarget:
    family: Family
    owner: int
    parent: int


@dataclass(frozen=True)
class MessageTarget:
    peer: int


@dataclass(frozen=True)
class VkCall:
    """One API call: the method and its form fields, without `access_token` and `v`."""

    method: str
    params: dict[str, str]
    target: CommentTarget | MessageTarget


def guid(key: str) -> str:
    """The comment's `guid`: the same key always gives the same one."""
    return hashlib.sha256(f"appeals-guid:{key}".encode()).hexdigest()[:32]


def random_id(key: str) -> int:
    """The message's `random_id`: a positive int32, the same for the same key."""
    digest = hashlib.sha256(f"appeals-random-id:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (2**31 - 1) + 1


def plan(page: Page, outgoing: Outgoing, key: str) -> VkCall:
    """The call that posts `outgoing` as the page; SendError(UNSUPPORTED) if there is none."""
    group = _group_id(page)
    if found := _MESSAGE_KEY.fullmatch(outgoing.external_id):
        peer, quoted = int(found[1]), int(found[2])
        return _message(group, peer, quoted, outgoing.text, key)
    if found := _COMMENT_KEY.fullmatch(outgoing.external_id):
        family, owner = _FAMILY[found[1]], int(found[2])
        if owner != -group:
            raise _unsupported(f"{outgoing.external_id} is not on the page's community")
        target = CommentTarget(family, owner, int(found[3]))
        return _comment(group, target, int(found[4]), outgoing.text, key)
    raise _unsupported(f"no VK object to reply to in {outgoing.external_id!r}")


def _group_id(page: Page) -> int:
    if not page.external_id.isascii() or not page.external_id.isdigit():
        raise _unsupported(f"page {page.id}: external_id is not a VK community id")
    return int(page.external_id)


def _message(group: int, peer: int, quoted: int, text: str, key: str) -> VkCall:
    quote = {"peer_id": peer, "conversation_message_ids": [quoted], "is_reply": True}
    params = {
        "peer_ids": str(peer),
        "random_id": str(random_id(key)),
        "message": text,
        "forward": json.dumps(quote, separators=(",", ":")),
        "group_id": str(group),
    }
    return VkCall("messages.send", params, MessageTarget(peer))


def _comment(group: int, target: CommentTarget, comment: int, text: str, key: str) -> VkCall:
    method, parent_param = _METHOD[target.family.prefix]
    params = {"message": text, "guid": guid(key), parent_param: str(target.parent)}
    if target.family.prefix == "topic":  # a board has no reply link and names its group
        params |= {"group_id": str(group), "from_group": "1"}
    else:
        params |= {"owner_id": str(target.owner), "reply_to_comment": str(comment)}
        # wall.createComment takes the community's id here, the others a flag.
        params["from_group"] = str(group) if target.family.prefix == "wall" else "1"
    return VkCall(method, params, target)


def read_answer(call: VkCall, body: object) -> Posted:
    """The reply VK made, from its answer to `call`; SendError for an error answer."""
    if not isinstance(body, Mapping) or ("response" not in body and "error" not in body):
        raise SendError(
            DeliveryFailure.PLATFORM_ERROR,
            "VK answered neither response nor error",
            retryable=True,
            maybe_posted=True,
        )
    if "error" in body:
        raise failure(body["error"])
    if isinstance(call.target, MessageTarget):
        return _message_posted(call.target.peer, body["response"])
    return _comment_posted(call.target, body["response"])


def _comment_posted(target: CommentTarget, response: object) -> Posted:
    # wall.createComment answers {comment_id, parents_stack}, the other four the bare id.
    comment = _positive(response.get("comment_id") if isinstance(response, Mapping) else response)
    if comment is None:
        raise _unreadable("a comment id")
    owner, parent = target.owner, target.parent
    return Posted(
        reply_id=object_key(target.family, owner, parent, comment),
        reply_url=target.family.permalink(owner, parent, comment),
    )


def _message_posted(peer: int, response: object) -> Posted:
    items = [i for i in response if isinstance(i, Mapping)] if isinstance(response, list) else []
    item = next((i for i in items if i.get("peer_id") == peer), None)
    if item is None:
        raise _unreadable("the peer's message")
    if isinstance(item.get("error"), Mapping):  # peer_ids reports a peer's failure inside
        error = item["error"]
        raise failure({"error_code": error.get("code"), "error_msg": error.get("description")})
    local_id = _positive(item.get("conversation_message_id"))
    if local_id is None:
        raise _unreadable("a conversation_message_id")
    return Posted(reply_id=messages.object_key(peer, local_id))


class _Rule(NamedTuple):
    reason: DeliveryFailure
    retryable: bool = False
    retry_after_s: float | None = None
    maybe_posted: bool = False


_F = DeliveryFailure
_DENIED = _Rule(_F.ACCESS_DENIED)
_GONE = _Rule(_F.TARGET_DELETED)
_INVALID = _Rule(_F.INVALID_TOKEN)
_OTHER = _Rule(_F.PLATFORM_ERROR)
# VK error codes (vk-api-schema errors.json) by what they mean for an answer; others are
# platform errors that trying again will not fix. Waits are ours: VK names none.
_RULES: dict[int, _Rule] = {
    1: _Rule(_F.PLATFORM_ERROR, True, maybe_posted=True),  # unknown error
    5: _INVALID,  # user authorization failed: a wrong, revoked or expired token
    6: _Rule(_F.RATE_LIMITED, True, 1.0),  # too many requests per second
    7: _DENIED,  # permission to perform this action is denied
    9: _Rule(_F.FLOOD_CONTROL, True, 60.0),
    10: _Rule(_F.PLATFORM_ERROR, True, maybe_posted=True),  # internal server error
    14: _Rule(_F.CAPTCHA),
    15: _DENIED,  # access denied
    18: _GONE,  # the resident's account was deleted or banned
    27: _DENIED,  # group authorization failed: the method does not take a community token
    28: _INVALID,  # application authorization failed
    29: _Rule(_F.RATE_LIMITED, True, 3600.0),  # a method's daily quota
    36: _Rule(_F.PLATFORM_ERROR, True, maybe_posted=True),  # interrupted by a timeout
    43: _Rule(_F.PLATFORM_ERROR, True),  # section temporarily unavailable
    104: _GONE,  # not found
    203: _DENIED,  # access to the group denied
    204: _DENIED,  # video: access denied
    205: _DENIED,  # market: access denied
    210: _DENIED,  # access to the wall's post denied
    211: _DENIED,  # access to the wall's comment denied
    212: _DENIED,  # access to the post's comments denied
    213: _DENIED,  # access to replies denied
    223: _Rule(_F.FLOOD_CONTROL, True, 60.0),  # too many replies
    801: _DENIED,  # comments on this video are closed
    900: _DENIED,  # the resident is on the community's blacklist
    901: _Rule(_F.BLOCKED_BY_USER),  # the resident does not allow the community's messages
    902: _Rule(_F.BLOCKED_BY_USER),  # the resident's privacy settings
    910: _Rule(_F.TOO_LONG),
    914: _Rule(_F.TOO_LONG),
    917: _DENIED,  # no access to this chat
    921: _GONE,  # cannot forward (quote) these messages: the resident's message is gone
    932: _DENIED,  # the community cannot interact with this peer
    950: _DENIED,  # the time to reply to this dialog is over
    969: _GONE,  # the message cannot be forwarded (quoted)
    1117: _INVALID,  # the access token has expired
    1401: _DENIED,  # comments on this market item are closed
    1403: _GONE,  # market item not found
}


def failure(error: object) -> SendError:
    """What VK's error object means for the answer: reason, retry, and the code and message."""
    fields = error if isinstance(error, Mapping) else {}
    code = fields.get("error_code")
    message = str(fields.get("error_msg") or "no message")[:300]
    rule = _OTHER
    if isinstance(code, int) and not isinstance(code, bool):
        rule = _RULES.get(code, _OTHER)
    return SendError(
        rule.reason,
        f"VK error {code}: {message}",
        retryable=rule.retryable,
        retry_after_s=rule.retry_after_s,
        maybe_posted=rule.maybe_posted,
    )


def _positive(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _unsupported(detail: str) -> SendError:
    return SendError(DeliveryFailure.UNSUPPORTED, detail)


def _unreadable(what: str) -> SendError:
    # VK said it posted, but not what: asking again cannot tell more, an operator checks.
    return SendError(
        DeliveryFailure.OUTCOME_UNKNOWN, f"VK answered without {what}", maybe_posted=True
    )
