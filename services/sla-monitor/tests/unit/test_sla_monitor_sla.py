"""The state of an appeal's clock against its deadline."""

from datetime import UTC, datetime, timedelta

import pytest

from sla_monitor.domain.sla import SlaState, state_of

WRITTEN = datetime(2026, 1, 15, 22, 30, tzinfo=UTC)
DEADLINE = datetime(2026, 1, 16, 22, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_an_appeal_without_a_deadline_is_unrouted() -> None:
    assert state_of(None, None, WRITTEN) == SlaState.UNROUTED
    assert state_of(None, WRITTEN, WRITTEN) == SlaState.UNROUTED


@pytest.mark.parametrize(
    ("answered_at", "now", "state"),
    [
        (None, WRITTEN, SlaState.OPEN),
        (None, DEADLINE - SECOND, SlaState.OPEN),
        (None, DEADLINE, SlaState.OPEN),
        (None, DEADLINE + SECOND, SlaState.OVERDUE),
        (WRITTEN + SECOND, DEADLINE + timedelta(days=3), SlaState.ANSWERED_IN_TIME),
        (DEADLINE, DEADLINE + timedelta(days=3), SlaState.ANSWERED_IN_TIME),
        (DEADLINE + SECOND, DEADLINE + SECOND, SlaState.ANSWERED_LATE),
        (DEADLINE + timedelta(days=2), WRITTEN, SlaState.ANSWERED_LATE),
    ],
    ids=[
        "just-written",
        "a-second-before-the-deadline",
        "at-the-deadline",
        "a-second-after-the-deadline",
        "answered-early",
        "answered-exactly-at-the-deadline",
        "answered-a-second-late",
        "answered-late-whatever-now-is",
    ],
)
def test_state_of(answered_at: datetime | None, now: datetime, state: SlaState) -> None:
    assert state_of(DEADLINE, answered_at, now) == state
