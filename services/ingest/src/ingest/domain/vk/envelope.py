"""The envelope VK sends with every Callback API event."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ingest.domain.outcomes import PayloadError, first_error


class VkPayloadError(PayloadError):
    """The callback body is not a VK event we can read."""


class VkCallback(BaseModel):
    """`{type, event_id, v, object, group_id, secret}`; old versions omit `event_id` and `v`."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(min_length=1, max_length=64)
    group_id: int = Field(gt=0)
    secret: str | None = Field(default=None, max_length=256)
    event_id: str | int | None = None
    v: str | None = Field(default=None, max_length=16)
    object: dict[str, Any] | None = None

    @property
    def delivery_key(self) -> str | None:
        """VK's id of this event: the same on every retry ("if it passed twice, ignore it")."""
        return None if self.event_id is None else f"vk:{self.event_id}"


def parse_callback(body: object) -> VkCallback:
    """Validate the envelope of a callback body."""
    try:
        return VkCallback.model_validate(body)
    except ValidationError as exc:
        raise VkPayloadError(first_error(exc)) from exc
