"""What a platform event means for us: an event to publish, or a reason only to acknowledge it."""

import uuid
from dataclasses import dataclass

from pydantic import ValidationError

from appeals_common.events import AppealAnswered, AppealReceived, AppealWithdrawn
from ingest.domain.storable import printable

IngestEvent = AppealReceived | AppealWithdrawn | AppealAnswered


class PayloadError(ValueError):
    """The body is not an event of the platform that we can read; the message says where."""


@dataclass(frozen=True)
class Emit:
    """An event to publish, with an id that is the same whenever the platform redelivers."""

    payload: IngestEvent
    event_id: uuid.UUID


@dataclass(frozen=True)
class Ignored:
    """An event we acknowledge without publishing (other types, the page's own posts)."""

    reason: str


Outcome = Emit | Ignored


def first_error(exc: ValidationError) -> str:
    """The first validation error as `where: what`, without the offending input (personal data)."""
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    # A dict's key is part of `loc`, and it may hold a lone surrogate no answer can encode.
    return printable(f"{where}: {error['msg']}")
