"""Working time on Russia's production calendar, in the body's own time zone: Friday evenings,
the New Year holidays, a Saturday worked by decree, a pre-holiday day, lunch breaks, and the
zones from Kaliningrad to Kamchatka."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_monitor.domain.calendar import ProductionCalendar, WeekHours, WorkingTime

# The 2025-2026 decrees (Постановления № 1335 of 04.10.2024 and № 1466 of 24.09.2025): the
# New Year holidays, the days off moved to weekdays, 1 November 2025 worked, short days.
NEW_YEAR_2026 = {date(2026, 1, d) for d in range(1, 12)}  # 1-8 and the moved 9-11 (Fri-Sun)
CALENDAR = ProductionCalendar(
    days_off=frozenset(
        {date(2025, 5, 2), date(2025, 5, 8), date(2025, 6, 13), date(2025, 11, 3),
         date(2025, 11, 4), date(2025, 12, 31), *NEW_YEAR_2026}
    ),
    working_days=frozenset({date(2025, 11, 1)}),
    short_days=frozenset({date(2025, 3, 7), date(2025, 11, 1), date(2026, 2, 20)}),
)  # fmt: skip
OFFICE = WeekHours.parse({"mon-thu": "09:00-18:00", "fri": "09:00-16:45"})
LUNCH = WeekHours.parse({"mon-fri": "08:30-12:30,13:15-17:30"})
MOSCOW = ZoneInfo("Europe/Moscow")
HOUR = 3600


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)  # type: ignore[misc]


def office(zone: ZoneInfo = MOSCOW, hours: WeekHours = OFFICE) -> WorkingTime:
    return WorkingTime(zone, hours, CALENDAR)


def test_a_friday_evening_appeal_waits_for_monday_morning() -> None:
    friday_evening = at(MOSCOW, 2025, 10, 17, 19, 30)  # after 16:45 on a Friday

    assert office().add(friday_evening, 4 * HOUR) == at(MOSCOW, 2025, 10, 20, 13, 0)


def test_time_left_on_friday_carries_over_to_monday() -> None:
    friday = at(MOSCOW, 2025, 10, 17, 15, 45)  # an hour before Friday's end

    assert office().add(friday, 4 * HOUR) == at(MOSCOW, 2025, 10, 20, 12, 0)
    assert office().between(friday, at(MOSCOW, 2025, 10, 20, 12, 0)) == 4 * HOUR


def test_the_new_year_holidays_count_nothing() -> None:
    before = at(MOSCOW, 2025, 12, 30, 17, 0)  # Tuesday; 31 December is a day off by decree

    due = office().add(before, 4 * HOUR)

    assert due == at(MOSCOW, 2026, 1, 12, 12, 0)  # the first working day after the holidays
    assert office().between(at(MOSCOW, 2026, 1, 1), at(MOSCOW, 2026, 1, 12)) == 0


def test_a_saturday_worked_by_decree_counts_and_is_an_hour_short() -> None:
    saturday = at(MOSCOW, 2025, 11, 1, 9, 0)  # worked by decree, before the 4 November holiday

    # A worked Saturday keeps Monday's hours (09:00-18:00), an hour shorter before a holiday.
    assert office().between(saturday, at(MOSCOW, 2025, 11, 2)) == 8 * HOUR
    # Then 3 (moved day off) and 4 November (the holiday): the clock waits until Wednesday.
    assert office().add(saturday, 9 * HOUR) == at(MOSCOW, 2025, 11, 5, 10, 0)


def test_an_ordinary_saturday_counts_nothing() -> None:
    assert office().between(at(MOSCOW, 2025, 10, 18), at(MOSCOW, 2025, 10, 20)) == 0


def test_a_lunch_break_is_not_working_time() -> None:
    morning = at(MOSCOW, 2025, 10, 20, 11, 30)

    assert office(hours=LUNCH).add(morning, 2 * HOUR) == at(MOSCOW, 2025, 10, 20, 14, 15)


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [
        ("Europe/Kaliningrad", 7),  # UTC+2: 09:00 there is 07:00 UTC
        ("Europe/Moscow", 6),
        ("Asia/Novosibirsk", 2),  # UTC+7
        ("Asia/Kamchatka", 21),  # UTC+12: Monday 09:00 there is Sunday 21:00 UTC
    ],
)
def test_a_body_counts_in_its_own_time_zone(zone: str, utc_hour: int) -> None:
    here = ZoneInfo(zone)
    sunday_noon_utc = datetime(2025, 10, 19, 12, 0, tzinfo=UTC)  # Sunday everywhere but
    # Kamchatka, where it is already Monday 00:00: its working day starts at 09:00 local.

    due = office(here).add(sunday_noon_utc, HOUR)

    assert due.astimezone(here).time().hour == 10
    start = due - timedelta(hours=1)
    assert start.astimezone(UTC).hour == utc_hour


def test_round_the_clock_counts_every_hour_of_every_day() -> None:
    clock = WorkingTime(MOSCOW)
    new_year = at(MOSCOW, 2025, 12, 31, 23, 0)

    assert clock.add(new_year, 4 * HOUR) == at(MOSCOW, 2026, 1, 1, 3, 0)
    assert clock.between(new_year, at(MOSCOW, 2026, 1, 1, 3, 0)) == 4 * HOUR


def test_a_body_open_on_weekends_counts_them_but_not_holidays() -> None:
    duty = WorkingTime(MOSCOW, WeekHours.parse({"mon-sun": "00:00-23:59"}), CALENDAR)

    assert duty.between(at(MOSCOW, 2025, 10, 18), at(MOSCOW, 2025, 10, 19)) == 24 * HOUR
    assert duty.between(at(MOSCOW, 2026, 1, 1), at(MOSCOW, 2026, 1, 2)) == 0


def test_a_decree_the_package_lacks_overrides_it() -> None:
    package = ProductionCalendar(days_off=frozenset({date(2027, 1, 8)}))
    decree = ProductionCalendar(
        days_off=frozenset({date(2027, 1, 11)}), working_days=frozenset({date(2027, 1, 8)})
    )

    merged = package.merged(decree)

    assert merged.is_working(date(2027, 1, 8)) and not merged.is_working(date(2027, 1, 11))


def test_hours_with_no_working_time_at_all_are_refused() -> None:
    closed = WeekHours.parse({})

    with pytest.raises(ValueError, match="no working time"):
        WorkingTime(MOSCOW, closed, CALENDAR).add(at(MOSCOW, 2025, 10, 20), HOUR)
