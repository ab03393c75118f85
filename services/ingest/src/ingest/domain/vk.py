"""VK Callback API: what an event means for us.

Only the shapes needed so far: the confirmation handshake, comments on the wall
(`wall_reply_new`) and private messages (`message_new`, both the pre-5.103 shape where the
object is the message and the 5.103+ shape `{message, client_info}`). Every other type is
acknowledged and counted, not processed.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from appeals_common.events import AppealKind, AppealReceived, Author, Platform
from ingest.domain.normalise import appeal_id, author_key, clean_text
from ingest.domain.pages import Page


class VkPayloadError(ValueError):
    """The callback body is not a VK event we can read."""


class VkCallback(BaseModel):
    """The envelope VK sends with every event."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(min_length=1, max_length=64)
    group_id: int = Field(gt=0)
    secret: str | None = None
    event_id: str | int | None = None
    v: str | None = None
    object: dict[str, Any] | None = None


class _VkComment(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int
    from_id: int
    date: int = Field(gt=0, lt=10**10)
    text: str = Field(max_length=50_000)
    post_id: int
    post_owner_id: int | None = None
    owner_id: int | None = None


class _VkMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    from_id: int
    peer_id: int
    date: int = Field(gt=0, lt=10**10)
    text: str = Field(max_length=50_000)
    conversation_message_id: int | None = None
    id: int = 0


@dataclass(frozen=True)
class Ignored:
    """An event we acknowledge without processing (other types, the page's own posts)."""

    reason: str


def parse_callback(body: object) -> VkCallback:
    """Validate the envelope of a callback body."""
    try:
        return VkCallback.model_validate(body)
    except ValidationError as exc:
        raise VkPayloadError(_first_error(exc)) from exc


def to_appeal(
    callback: VkCallback, page: Page, *, salt: str, received_at: datetime
) -> AppealReceived | Ignored:
    """Normalise a VK event into an appeal, or say why it is not one."""
    try:
        if callback.type == "wall_reply_new":
            return _wall_reply(_VkComment.model_validate(callback.object), page, salt, received_at)
        if callback.type == "message_new":
            obj = callback.object or {}
            message = obj.get("message", obj)  # 5.103+ wraps the message with client_info
            return _message(_VkMessage.model_validate(message), page, salt, received_at)
    except ValidationError as exc:
        raise VkPayloadError(f"{callback.type}: {_first_error(exc)}") from exc
    return Ignored(f"type {callback.type} is not processed")


def _wall_reply(
    c: _VkComment, page: Page, salt: str, received_at: datetime
) -> AppealReceived | Ignored:
    if c.from_id < 0:
        return Ignored("comment by a community")
    owner = c.post_owner_id or c.owner_id or -int(page.external_id)
    return _appeal(
        page,
        AppealKind.COMMENT,
        object_key=f"wall{owner}_{c.post_id}/{c.id}",
        permalink=f"https://vk.com/wall{owner}_{c.post_id}?reply={c.id}",
        author_id=str(c.from_id),
        text=c.text,
        written=c.date,
        salt=salt,
        received_at=received_at,
    )


def _message(
    m: _VkMessage, page: Page, salt: str, received_at: datetime
) -> AppealReceived | Ignored:
    if m.from_id < 0:
        return Ignored("message by a community")
    # message.id is 0 for messages to a community bot; the conversation id is the stable key.
    local_id = m.conversation_message_id if m.conversation_message_id is not None else m.id
    return _appeal(
        page,
        AppealKind.PRIVATE_MESSAGE,
        object_key=f"msg{m.peer_id}/{local_id}",
        permalink=None,
        author_id=str(m.from_id),
        text=m.text,
        written=m.date,
        salt=salt,
        received_at=received_at,
    )


def _appeal(
    page: Page,
    kind: AppealKind,
    *,
    object_key: str,
    permalink: str | None,
    author_id: str,
    text: str,
    written: int,
    salt: str,
    received_at: datetime,
) -> AppealReceived:
    return AppealReceived(
        appeal_id=appeal_id(Platform.VK, page.external_id, kind, object_key),
        platform=Platform.VK,
        kind=kind,
        page_id=page.id,
        body_id=page.body_id,
        external_id=object_key,
        permalink=permalink,
        author=Author(platform_id=author_id, key=author_key(salt, Platform.VK, author_id)),
        text=clean_text(text),
        written_at=datetime.fromtimestamp(written, UTC),
        received_at=received_at,
    )


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {error['msg']}"
