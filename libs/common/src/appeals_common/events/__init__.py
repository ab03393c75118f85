"""Event contracts: the envelope and the payloads that travel between the services."""

from appeals_common.events.appeals import (
    AppealAnswered,
    AppealClassified,
    AppealKind,
    AppealReceived,
    AppealRouted,
    AppealThread,
    AppealWithdrawn,
    Attachment,
    Author,
    Classification,
    Confidences,
    GeoPoint,
    PlaceMention,
    Platform,
    ResponseChannel,
    SlaBreached,
)
from appeals_common.events.envelope import Envelope, EventPayload, decode_event, new_envelope

__all__ = [
    "AppealAnswered",
    "AppealClassified",
    "AppealKind",
    "AppealReceived",
    "AppealRouted",
    "AppealThread",
    "AppealWithdrawn",
    "Attachment",
    "Author",
    "Classification",
    "Confidences",
    "Envelope",
    "EventPayload",
    "GeoPoint",
    "PlaceMention",
    "Platform",
    "ResponseChannel",
    "SlaBreached",
    "decode_event",
    "new_envelope",
]
