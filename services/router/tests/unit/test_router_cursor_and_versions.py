"""What clients send back to the queues: cursors and versions. Anything not given out by the
API is refused as a value error (the API's 422), never an exception of another kind."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from router.domain.queues import NO_DEADLINE, Cursor
from router.entrypoints.views import parse_if_match

WRITTEN = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _raw(*parts: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def test_a_cursor_round_trips_in_utc() -> None:
    cursor = Cursor(
        NO_DEADLINE, True, WRITTEN.astimezone(timezone(timedelta(hours=3))), uuid.uuid4()
    )
    decoded = Cursor.decode(cursor.encode())
    assert decoded == cursor
    assert decoded.written_at.tzinfo == UTC


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-base64!",
        _raw(1, 2, 3),
        _raw(WRITTEN.isoformat(), "yes", WRITTEN.isoformat(), str(uuid.uuid4())),  # urgent not bool
        _raw(WRITTEN.isoformat(), True, WRITTEN.isoformat(), 12345),  # id not a string
        _raw(WRITTEN.isoformat(), True, WRITTEN.isoformat(), ["x"]),
        _raw("2026-12-03T09:00:00", True, WRITTEN.isoformat(), str(uuid.uuid4())),  # naive
        _raw("0001-01-01T00:00:00+14:00", True, WRITTEN.isoformat(), str(uuid.uuid4())),
        _raw("9999-12-31T23:59:59-14:00", True, WRITTEN.isoformat(), str(uuid.uuid4())),
        base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).decode(),  # deeper than json parses
    ],
)
def test_anything_else_is_refused_as_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="not a cursor"):
        Cursor.decode(text)


@pytest.mark.parametrize(
    ("header", "version"),
    [
        (None, None),
        ('"7"', 7),
        ('W/"7"', 7),
        ("7", 7),
        ('"²"', -1),
        ('"abc"', -1),
        ("*", -1),
        ('"1234567890"', -1),
        ('"-1"', -1),
        ('"٣"', -1),
    ],
)
def test_if_match_gives_the_version_or_one_that_matches_nothing(
    header: str | None, version: int | None
) -> None:
    assert parse_if_match(header) == version
