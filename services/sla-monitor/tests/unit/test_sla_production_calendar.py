"""Russia's production calendar from the `holidays` package and the override file: the 2025
decree as published (Постановление № 1335), short days by ТК РФ ст. 95, and a decree the
package does not have yet."""

from datetime import date
from pathlib import Path

import pytest

from sla_monitor.adapters.production_calendar import (
    CalendarFileError,
    read_override,
    russian_calendar,
)

ROOT = Path(__file__).resolve().parents[4]


def test_2025_is_the_published_calendar() -> None:
    calendar = russian_calendar(range(2025, 2026))

    for day_off in ("2025-01-08", "2025-05-02", "2025-05-08", "2025-06-13", "2025-11-03",
                    "2025-11-04", "2025-12-31"):  # fmt: skip
        assert not calendar.is_working(date.fromisoformat(day_off)), day_off
    assert calendar.is_working(date(2025, 11, 1))  # the Saturday worked for 3 November
    assert not calendar.is_working(date(2025, 11, 8))  # an ordinary Saturday
    assert {date(2025, 3, 7), date(2025, 4, 30), date(2025, 6, 11)} <= calendar.short_days
    assert date(2025, 5, 8) not in calendar.short_days  # a day off, not a short day


def test_the_override_file_adds_what_a_decree_says() -> None:
    calendar = russian_calendar(range(2025, 2026), ROOT / "config" / "production-calendar.yaml")

    assert date(2025, 11, 1) in calendar.short_days  # before the moved day off: the decree


def test_a_decree_for_next_year_overrides_the_package(tmp_path: Path) -> None:
    decree = tmp_path / "decree.yaml"
    decree.write_text(
        "2027:\n  decree: test\n  days_off: [2027-05-04]\n  working_days: [2027-11-05]\n"
    )

    calendar = russian_calendar(range(2027, 2028), decree)

    assert not calendar.is_working(date(2027, 5, 4))
    assert calendar.is_working(date(2027, 11, 5))  # the package had it as a moved day off


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027:\n  days_off: [2026-05-04]\n", "another year"),
        ("2027:\n  days_off: [not-a-date]\n", "2027"),
        ("2027:\n  holidays: []\n", "2027"),
        ("- 1\n", "mapping of years"),
        ("2027: [\n", "not YAML"),
    ],
)
def test_a_broken_override_is_refused(tmp_path: Path, text: str, message: str) -> None:
    decree = tmp_path / "decree.yaml"
    decree.write_text(text)

    with pytest.raises(CalendarFileError, match=message):
        read_override(decree)
