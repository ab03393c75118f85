"""The envelope every event travels in, and its encoding on the wire (UTF-8 JSON)."""

import uuid
from datetime import UTC, datetime
from functools import cache
from typing import ClassVar, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from appeals_common.errors import PoisonEvent


class EventPayload(BaseModel):
    """Base of every payload; subclasses name their event type and schema version."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1


P = TypeVar("P", bound=EventPayload)


class Envelope(BaseModel, Generic[P]):
    """Metadata common to all events around a typed payload."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: uuid.UUID
    type: str
    schema_version: int = Field(ge=1)
    source: str = Field(min_length=1, description="the service that emitted the event")
    time: AwareDatetime
    correlation_id: str = Field(min_length=1, description="follows one appeal across services")
    payload: P

    def encode(self) -> bytes:
        """Serialise to the bytes put on a Kafka topic."""
        return self.model_dump_json().encode()


def new_envelope(
    payload: P, *, source: str, correlation_id: str, event_id: uuid.UUID | None = None
) -> Envelope[P]:
    """Wrap a payload; pass a deterministic `event_id` so a re-emitted event dedups downstream."""
    return _envelope_of(type(payload))(
        id=event_id or uuid.uuid4(),
        type=payload.event_type,
        schema_version=payload.schema_version,
        source=source,
        time=datetime.now(UTC),
        correlation_id=correlation_id,
        payload=payload,
    )


@cache
def _envelope_of(payload_type: type[P]) -> type[Envelope[P]]:
    # Parametrising a generic model costs a lookup in pydantic's cache on every call.
    return Envelope[payload_type]  # type: ignore[valid-type]


def decode_event(raw: bytes | None, payload_type: type[P]) -> Envelope[P]:
    """Parse bytes from a topic into a typed envelope, or raise PoisonEvent saying why."""
    if raw is None:
        raise PoisonEvent("empty record value")
    try:
        envelope = _envelope_of(payload_type).model_validate_json(raw)
    except ValidationError as exc:
        raise PoisonEvent(f"invalid {payload_type.event_type}: {_summarise(exc)}") from exc
    if envelope.type != payload_type.event_type:
        raise PoisonEvent(f"expected {payload_type.event_type}, got {envelope.type}")
    if envelope.schema_version > payload_type.schema_version:
        raise PoisonEvent(f"unsupported schema version {envelope.schema_version}")
    return envelope


def _summarise(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    parts = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in errors[:5]]
    return "; ".join(parts)
