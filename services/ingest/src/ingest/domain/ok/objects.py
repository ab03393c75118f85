"""An OK group chat webhook body (apiok.ru graph.user.subscribe; Bot API for groups).

Ids may come as strings (`user:123`, `chat:C3e...`) and `seq` exceeds 2^53. Official examples
carry no `webhookType`; newer deliveries seem to (MESSAGE_CREATED, MESSAGE_CALLBACK,
CHAT_SYSTEM), so both are read.
"""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ingest.domain.integers import ExactInteger
from ingest.domain.timestamps import UnixMillis


def _id(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and 0 < len(value) <= 128:
        return value
    raise ValueError("must be an id string or integer")


OkId = Annotated[str, BeforeValidator(_id)]


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow")


class Sender(_Object):
    user_id: OkId


class Recipient(_Object):
    chat_id: OkId


class Message(_Object):
    mid: str = Field(min_length=1, max_length=256)
    seq: ExactInteger | None = None
    text: str | None = Field(default=None, max_length=50_000)
    attachments: list[dict[str, Any]] | None = Field(default=None, max_length=100)


class Update(_Object):
    webhookType: str | None = Field(default=None, max_length=64)
    sender: Sender | None = None
    recipient: Recipient | None = None
    message: Message | None = None
    timestamp: UnixMillis
