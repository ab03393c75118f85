"""Russia's production calendar from the `holidays` package, with the region's override file
on top: each autumn the government's decree moves next year's days off, and the file carries
it until a release of the package does (config/production-calendar.yaml documents the format).

Short days (ТК РФ ст. 95) are not in the package: the working day just before a public
holiday is one hour shorter; a decree that shortens another day (a worked Saturday before a
moved day off) says so in the file.
"""

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import holidays
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sla_monitor.domain.calendar import ProductionCalendar


class CalendarFileError(ValueError):
    pass


class _Year(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    decree: str = ""  # which decree it copies, for the reader
    days_off: list[date] = []
    working_days: list[date] = []
    short_days: list[date] = []


def russian_calendar(years: range, override: Path | None = None) -> ProductionCalendar:
    """The package's calendar for `years`, the file's days over it."""
    public = holidays.country_holidays("RU", years=years, language="en_US")
    # "Day off (substituted from 11/01/2025)": the Saturday it names was made a working day
    # (unless it is a holiday itself, as the New Year's days moved to May are).
    sources = {_source(str(name)) for name in public.values()}
    working = frozenset(d for d in sources if d is not None and d not in public)
    package = ProductionCalendar(days_off=frozenset(public), working_days=working)
    calendar = package.merged(read_override(override)) if override else package
    return ProductionCalendar(
        days_off=calendar.days_off,
        working_days=calendar.working_days,
        short_days=calendar.short_days | _before_holidays(calendar, _holidays(public)),
    )


def _source(name: str) -> date | None:
    found = _SUBSTITUTED.search(name)
    return date(int(found[3]), int(found[1]), int(found[2])) if found else None


_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


def read_override(path: Path) -> ProductionCalendar:
    """The decrees in the override file; CalendarFileError says which year is wrong."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CalendarFileError(f"{path}: not YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise CalendarFileError(f"{path}: expected a mapping of years")
    days_off: set[date] = set()
    working: set[date] = set()
    short: set[date] = set()
    for year, item in data.items():
        try:
            decree = _Year.model_validate(item)
        except ValidationError as exc:
            raise CalendarFileError(f"{path}: {year}: {exc.errors()[0]['msg']}") from None
        stray = [d for d in (*decree.days_off, *decree.working_days, *decree.short_days)
                 if d.year != year]  # fmt: skip
        if stray:
            raise CalendarFileError(f"{path}: {year}: a date of another year: {stray[0]}")
        days_off |= set(decree.days_off)
        working |= set(decree.working_days)
        short |= set(decree.short_days)
    return ProductionCalendar(frozenset(days_off), frozenset(working), frozenset(short))


def _holidays(public: holidays.HolidayBase) -> set[date]:
    """The public holidays themselves (ст. 112), not the days off moved to weekdays."""
    return {
        day for day, name in public.items()
        if not str(name).startswith("Day off") and "(observed)" not in str(name)
    }  # fmt: skip


def _before_holidays(calendar: ProductionCalendar, holidays_: set[date]) -> frozenset[date]:
    days = {day - timedelta(days=1) for day in holidays_}
    return frozenset(d for d in days if d not in holidays_ and calendar.is_working(d))
