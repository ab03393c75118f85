"""An appeal's clock: which policy it gets, the steps it takes (warnings, the breach,
escalations, the resolution), pauses while the body waits for the resident, and what a
reassignment does to it."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_monitor.domain.calendar import ProductionCalendar, WeekHours, WorkingTime
from sla_monitor.domain.policy import (
    ClockMode,
    Conditions,
    Escalation,
    Facts,
    OnReassign,
    Policy,
    PolicySet,
    Recipient,
)
from sla_monitor.domain.steps import Clock, Pause, Target, reassigned

MOSCOW = ZoneInfo("Europe/Moscow")
HOUR = 3600
OFFICE = WeekHours.parse({"mon-fri": "09:00-18:00"})
CALENDAR = ProductionCalendar(days_off=frozenset({date(2025, 11, 4)}))
STANDARD = Policy(
    id="standard", name="Обычные обращения", when=Conditions(),
    first_response_seconds=4 * HOUR, resolution_seconds=72 * HOUR,
    escalations=(Escalation(2 * HOUR, Recipient.CUR_SUPERVISOR),
                 Escalation(6 * HOUR, Recipient.GOVERNOR_OFFICE)),
)  # fmt: skip
URGENT = replace(
    STANDARD,
    id="urgent",
    when=Conditions(urgent=True),
    first_response_seconds=HOUR,
)
SCHOOLS = replace(
    STANDARD, id="schools", when=Conditions(body_kinds=("school", "kindergarten")),
    mode=ClockMode.WORKING_HOURS, first_response_seconds=8 * HOUR,
)  # fmt: skip
HEATING_IN_SHUYA = replace(
    STANDARD, id="heating-shuya", when=Conditions(topics=("housing.*",), territories=("24711000",)),
    first_response_seconds=2 * HOUR,
)  # fmt: skip
POLICIES = PolicySet(1, (URGENT, HEATING_IN_SHUYA, SCHOOLS, STANDARD))


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=MOSCOW)  # type: ignore[misc]


def facts(**changes: object) -> Facts:
    base = Facts(urgent=False, topic="roads.repair", body_kind="municipal_department",
                 oktmo=("24701000",))  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("appeal", "policy"),
    [
        (facts(), "standard"),
        (facts(urgent=True), "urgent"),
        (facts(urgent=True, body_kind="school"), "urgent"),  # the first that holds
        (facts(body_kind="school"), "schools"),
        (facts(topic="housing.heating.outage", oktmo=("24711000",)), "heating-shuya"),
        (facts(topic="housing.heating", oktmo=("24711101001",)), "heating-shuya"),  # a village
        (facts(topic="housing.heating", oktmo=("24701000",)), "standard"),  # another town
        (facts(body_kind=None), "standard"),
    ],
)
def test_the_first_policy_that_holds_is_chosen(appeal: Facts, policy: str) -> None:
    assert POLICIES.choose(appeal).id == policy


def test_the_steps_are_due_at_their_shares_of_the_target_then_after_the_breach() -> None:
    written = at(2025, 10, 20, 10, 0)
    clock = Clock(written, STANDARD, WorkingTime(MOSCOW))

    steps = {s.key: s for s in clock.steps()}

    assert list(steps) == ["warning-50", "warning-80", "breach", "escalation-1", "escalation-2",
                           "resolution"]  # fmt: skip
    assert steps["warning-50"].due_at == written + timedelta(hours=2)
    assert steps["warning-80"].due_at == written + timedelta(hours=3, minutes=12)
    assert steps["breach"].due_at == written + timedelta(hours=4)
    assert steps["escalation-1"].due_at == written + timedelta(hours=6)
    assert steps["escalation-1"].to is Recipient.CUR_SUPERVISOR
    assert steps["escalation-2"].to is Recipient.GOVERNOR_OFFICE
    assert steps["resolution"].target is Target.RESOLUTION
    assert steps["resolution"].due_at == written + timedelta(hours=72)


def test_a_working_hours_policy_counts_from_monday_for_a_friday_evening_appeal() -> None:
    clock = Clock(at(2025, 10, 17, 20, 0), SCHOOLS, WorkingTime(MOSCOW, OFFICE, CALENDAR))

    breach = next(s for s in clock.steps() if s.key == "breach")

    assert breach.due_at == at(2025, 10, 20, 17, 0)  # Monday 09:00 + 8 working hours


def test_a_pause_across_a_weekend_moves_every_later_step_by_the_working_time_it_took() -> None:
    time = WorkingTime(MOSCOW, OFFICE, CALENDAR)
    written = at(2025, 10, 31, 10, 0)  # Friday
    asked = Pause(at(2025, 10, 31, 12, 0), at(2025, 11, 5, 11, 0))  # the resident answered Wed

    paused = Clock(written, SCHOOLS, time, (Pause(asked.started_at, None),))
    resumed = Clock(written, SCHOOLS, time, (asked,))
    breach = next(s for s in resumed.steps() if s.key == "breach")

    assert paused.steps() == ()  # nothing fires while the body waits for the resident
    assert paused.used(at(2025, 11, 3, 12, 0)) == 2 * HOUR  # only up to the pause
    # Friday 12-18 (6 h), Monday 9-18 (9 h), the 4th is a holiday, Wednesday 9-11 (2 h):
    assert resumed.paused_seconds() == 17 * HOUR
    # 2 h used before the pause, 6 left from Wednesday 11:00: 17:00.
    assert breach.due_at == at(2025, 11, 5, 17, 0)


def test_a_reassignment_carries_the_clock_on_with_at_least_the_grace_left() -> None:
    written = at(2025, 10, 20, 10, 0)
    clock = Clock(written, STANDARD, WorkingTime(MOSCOW))
    time = WorkingTime(MOSCOW)

    early = reassigned(clock, written + timedelta(hours=1), time)
    late = reassigned(clock, written + timedelta(hours=3, minutes=30), time)
    after = reassigned(clock, written + timedelta(hours=5), time)

    assert _breach(early) == written + timedelta(hours=4)  # 3 h left: more than the grace
    assert _breach(late) == written + timedelta(hours=4, minutes=30)  # 30 min left: 1 h given
    assert _breach(after) == written + timedelta(hours=6)  # overdue: the grace from the move


def test_a_restart_gives_the_new_body_the_whole_target_from_the_reassignment() -> None:
    policy = replace(STANDARD, on_reassign=OnReassign.RESTART)
    clock = Clock(at(2025, 10, 20, 10, 0), policy, WorkingTime(MOSCOW))

    moved = reassigned(clock, at(2025, 10, 20, 13, 0), WorkingTime(MOSCOW))

    assert _breach(moved) == at(2025, 10, 20, 17, 0)


def _breach(clock: Clock) -> datetime:
    return next(s.due_at for s in clock.steps() if s.key == "breach")
