"""The parts of a Telegram Bot API `Update` we read (Bot API 10.2, as mirrored by aiogram)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ingest.domain.timestamps import UnixSeconds


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class User(_Object):
    id: int
    is_bot: bool = False


class Chat(_Object):
    id: int
    type: str = Field(max_length=32)
    username: str | None = Field(default=None, max_length=64)


class Origin(_Object):
    """`forward_origin`: for a channel, the post's chat and message id."""

    type: str = Field(max_length=32)
    chat: Chat | None = None
    message_id: int | None = None


class Replied(_Object):
    """`reply_to_message`: the same fields as a message, never nested further."""

    message_id: int
    sender: User | None = Field(default=None, alias="from")
    sender_chat: Chat | None = None
    is_automatic_forward: bool = False
    forward_origin: Origin | None = None


class Message(_Object):
    message_id: int
    date: UnixSeconds
    chat: Chat
    sender: User | None = Field(default=None, alias="from")
    sender_chat: Chat | None = None
    message_thread_id: int | None = None
    is_automatic_forward: bool = False
    reply_to_message: Replied | None = None
    edit_date: UnixSeconds | None = None
    text: str | None = Field(default=None, max_length=50_000)
    caption: str | None = Field(default=None, max_length=50_000)
    location: dict[str, Any] | None = None
    venue: dict[str, Any] | None = None


class Update(_Object):
    """`update_id` and at most one of the optional fields; we read four of them."""

    update_id: int = Field(ge=0)
    message: Message | None = None
    edited_message: Message | None = None
    channel_post: dict[str, Any] | None = None
    edited_channel_post: dict[str, Any] | None = None
