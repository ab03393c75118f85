"""The VK objects carried by the events we read (vk-api-schema 5.199 and the Callback docs)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ingest.domain.timestamps import UnixSeconds

_TEXT = Field(default="", max_length=50_000)


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow")


class Comment(_Object):
    """A comment on a wall post, photo, video or market item, or a post in a board topic;
    the parent's id and owner come under names that differ per event (see comments.py)."""

    id: int
    from_id: int
    date: UnixSeconds
    text: str = _TEXT
    attachments: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    reply_to_comment: int | None = None
    parents_stack: list[int] = Field(default_factory=list)


class Deletion(_Object):
    """`*_delete`: which comment, and who deleted it (`deleter_id`; the schema says `user_id`)."""

    id: int
    owner_id: int | None = None
    deleter_id: int | None = None
    user_id: int | None = None


class Post(_Object):
    """A wall post (`wall_post_new`); `post_type` is "suggest" for posts offered by residents."""

    id: int
    owner_id: int
    from_id: int
    date: UnixSeconds
    post_type: str = "post"
    text: str = _TEXT
    attachments: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    geo: dict[str, Any] | None = None


class Message(_Object):
    """A private message to the community; `id` is 0 for messages to a bot, so the key is the
    conversation message id."""

    from_id: int
    peer_id: int
    date: UnixSeconds
    text: str = _TEXT
    conversation_message_id: int | None = None
    id: int = 0
    update_time: UnixSeconds | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    geo: dict[str, Any] | None = None
    reply_message: dict[str, Any] | None = None
    fwd_messages: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def local_id(self) -> int:
        return self.conversation_message_id if self.conversation_message_id is not None else self.id
