"""Platform timestamps: Unix seconds (VK, Telegram) or milliseconds (MAX, OK), checked for sense."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import BeforeValidator

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Before the oldest platform we read (VK, 2006) a timestamp is a bug or an attack; edits and
# deletions can concern objects written long before official pages became law in 2022.
_EARLIEST = datetime(2006, 1, 1, tzinfo=UTC)
_CLOCK_SKEW = timedelta(days=1)


def _from_unix(units_per_second: int) -> BeforeValidator:
    def convert(value: object) -> datetime:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be an integer Unix timestamp")  # a float would lose precision
        earliest = int(_EARLIEST.timestamp()) * units_per_second
        latest = int((datetime.now(UTC) + _CLOCK_SKEW).timestamp()) * units_per_second
        if not earliest <= value <= latest:  # checked before converting: huge ints overflow
            raise ValueError("timestamp is not between 2006 and now")
        return _EPOCH + timedelta(microseconds=value * 1_000_000 // units_per_second)

    return BeforeValidator(convert)


UnixSeconds = Annotated[datetime, _from_unix(1)]
UnixMillis = Annotated[datetime, _from_unix(1000)]


def unix_millis(at: datetime) -> int:
    """A time as whole Unix milliseconds (the revision of an edit)."""
    return (at - _EPOCH) // timedelta(milliseconds=1)
