"""The parts of a MAX Bot API `Update` we read (OpenAPI "Max Bot API" 0.0.30, official clients).

Times are Unix milliseconds. `seq` is a 64-bit integer above 2^53: it is kept exact as a string
and a float is refused, since a float has already lost its last digits.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.domain.integers import ExactInteger
from ingest.domain.timestamps import UnixMillis


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow")


class User(_Object):
    user_id: int
    is_bot: bool = False


class Recipient(_Object):
    chat_id: int | None = None
    chat_type: Literal["dialog", "chat", "channel"]
    user_id: int | None = None


class Body(_Object):
    mid: str = Field(min_length=1, max_length=256)
    seq: ExactInteger | None = None
    text: str | None = Field(default=None, max_length=50_000)
    attachments: list[dict[str, Any]] | None = Field(default=None, max_length=100)


class Link(_Object):
    """A forwarded or replied-to message."""

    type: str = Field(max_length=16)
    sender: User | None = None
    chat_id: int | None = None
    message: Body | None = None


class Message(_Object):
    sender: User | None = None  # null when posted on behalf of a channel
    recipient: Recipient
    timestamp: UnixMillis
    body: Body
    link: Link | None = None
    url: str | None = Field(default=None, max_length=2048)


class Update(_Object):
    update_type: str = Field(min_length=1, max_length=64)
    timestamp: UnixMillis
    message: Message | None = None
    message_id: str | None = Field(default=None, min_length=1, max_length=256)
    chat_id: int | None = None
    user_id: int | None = None

    @property
    def delivery_key(self) -> str:
        """MAX has no event id; it redelivers the same update, with the same time."""
        return f"max:{self.update_type}:{self.timestamp.isoformat()}"
