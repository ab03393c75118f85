"""The SLA policy: deadlines per urgency and the state of an appeal's clock."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sla_monitor.domain.sla import SlaPolicy, SlaState, state_of

POLICY = SlaPolicy(target_seconds=86_400, urgent_target_seconds=3_600)
WRITTEN = datetime(2026, 1, 15, 22, 30, tzinfo=UTC)
DEADLINE = datetime(2026, 1, 16, 22, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_target_for_picks_the_target_by_urgency() -> None:
    assert POLICY.target_for(urgent=False) == 86_400
    assert POLICY.target_for(urgent=True) == 3_600


def test_the_deadline_counts_from_when_the_resident_wrote() -> None:
    assert POLICY.deadline(WRITTEN, urgent=False) == DEADLINE
    assert POLICY.deadline(WRITTEN, urgent=True) == datetime(2026, 1, 15, 23, 30, tzinfo=UTC)


def test_the_deadline_keeps_the_instant_of_a_local_time() -> None:
    msk = timezone(timedelta(hours=3))
    written_msk = datetime(2026, 1, 16, 1, 30, tzinfo=msk)

    assert POLICY.deadline(written_msk, urgent=False) == DEADLINE


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
