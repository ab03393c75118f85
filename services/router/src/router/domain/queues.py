"""How a queue is asked for: which appeals (by effective status and filters) and from where
(a cursor after the last one seen). Pure values; the SQL adapter turns them into a query."""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

QueueStatus = Literal["open", "claimed", "answered", "withdrawn", "merged", "not_appeal", "all"]
ClaimFilter = Literal["any", "me", "unclaimed"]
# By the SLA deadline: past it, within the next hour, later, or none known yet.
DueFilter = Literal["any", "overdue", "due_soon", "on_time", "no_deadline"]
DUE_SOON = timedelta(hours=1)
# Appeals without a deadline yet sort after every deadline (a timestamp PostgreSQL can store).
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)
STATUSES: tuple[QueueStatus, ...] = (
    "open",
    "claimed",
    "answered",
    "withdrawn",
    "merged",
    "not_appeal",
)


@dataclass(frozen=True)
class QueueFilter:
    agencies: frozenset[str] | None  # None: every agency (region-wide callers)
    status: QueueStatus = "open"
    topic: str | None = None
    urgent: bool | None = None
    platform: str | None = None
    claimed: ClaimFilter = "any"
    due: DueFilter = "any"


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended, in the queue's order: the soonest deadline first (none
    known: last), then urgent first, then oldest."""

    due: datetime
    urgent: bool
    written_at: datetime
    appeal_id: uuid.UUID

    def encode(self) -> str:
        values = [self.due.isoformat(), self.urgent, self.written_at.isoformat()]
        raw = json.dumps([*values, str(self.appeal_id)])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        """Raise ValueError on anything that is not a cursor this API gave out."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            due, urgent, written_at, appeal_id = json.loads(raw)
            cursor = cls(_time(due), urgent, _time(written_at), uuid.UUID(str(appeal_id)))
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, RecursionError) as error:
            raise ValueError("not a cursor from this API") from error
        if not isinstance(urgent, bool):
            raise ValueError("not a cursor from this API")
        return cursor


def _time(text: object) -> datetime:
    """An aware time in UTC within what PostgreSQL stores; ValueError otherwise."""
    value = datetime.fromisoformat(str(text))
    if value.tzinfo is None:
        raise ValueError("a naive time")
    try:
        return value.astimezone(UTC)  # at the edges of the range this overflows
    except OverflowError as error:
        raise ValueError("out of range") from error
