"""Working time: a body's hours in its own time zone, on Russia's production calendar.

The production calendar (производственный календарь) is the government's: public holidays
(ТК РФ ст. 112), the days off they move to and the Saturdays made working days by each year's
decree, and the pre-holiday working days shortened by an hour (ст. 95). It is data here
(`ProductionCalendar`); the adapter fills it from the `holidays` package and the region's
override file, which carries next year's decree before the package does.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SHORTENED_BY = timedelta(hours=1)


@dataclass(frozen=True)
class ProductionCalendar:
    days_off: frozenset[date] = frozenset()  # holidays, and the weekdays days off moved to
    working_days: frozenset[date] = frozenset()  # Saturdays and Sundays worked by decree
    short_days: frozenset[date] = frozenset()  # pre-holiday working days, an hour shorter

    def is_working(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day not in self.days_off and day.weekday() < 5

    def merged(self, other: "ProductionCalendar") -> "ProductionCalendar":
        """This calendar with another's days on top: a decree the package lacks wins."""
        return ProductionCalendar(
            days_off=(self.days_off - other.working_days) | other.days_off,
            working_days=(self.working_days - other.days_off) | other.working_days,
            short_days=self.short_days | other.short_days,
        )


Span = tuple[time, time]


@dataclass(frozen=True)
class WeekHours:
    """Working hours per weekday (0 = Monday); a day without spans is a day off."""

    days: tuple[tuple[Span, ...], ...]

    @classmethod
    def parse(cls, hours: Mapping[str, str]) -> "WeekHours":
        """From the directory's form: {"mon-fri": "08:30-12:30,13:15-17:30", "sat": ...}."""
        days: list[tuple[Span, ...]] = [() for _ in DAYS]
        for key, value in hours.items():
            first, _, last = key.partition("-")
            start, end = DAYS.index(first), DAYS.index(last or first)
            spans = tuple(_span(part) for part in value.split(","))
            for day in range(start, end + 1):
                days[day] = spans
        return cls(tuple(days))

    def spans_on(self, day: date, calendar: ProductionCalendar) -> tuple[Span, ...]:
        """The day's spans: the body's own hours (a body open on Saturdays counts them), none
        on a holiday or a day off moved by decree, the first weekday's hours on a weekend
        worked by decree, and an hour less on a pre-holiday day."""
        if day in calendar.days_off:
            return ()
        spans = self.days[day.weekday()]
        if day in calendar.working_days:
            spans = next((s for s in self.days[:5] if s), spans)
        if day in calendar.short_days and spans:
            *head, (start, end) = spans
            shorter = (datetime.combine(day, end) - SHORTENED_BY).time()
            spans = (*head, (start, max(start, shorter)))
        return spans


def _span(text: str) -> Span:
    start, _, end = text.strip().partition("-")
    return time.fromisoformat(start), _end_of(time.fromisoformat(end))


def _end_of(end: time) -> time:
    return time.max if end == time(23, 59) else end  # "00:00-23:59": to midnight


ROUND_THE_CLOCK = WeekHours(tuple(((time.min, time.max),) for _ in DAYS))


@dataclass(frozen=True)
class WorkingTime:
    """The time that counts: `hours` on `calendar`'s working days in `zone`; round the clock
    when `calendar` is None (every day, every hour)."""

    zone: ZoneInfo
    hours: WeekHours = ROUND_THE_CLOCK
    calendar: ProductionCalendar | None = field(default=None)

    def _intervals(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Counting intervals from `start` on, as aware datetimes, in order."""
        day = start.astimezone(self.zone).date()
        for _ in range(3 * 366):  # a year of days off at most between working days
            spans = (
                self.hours.spans_on(day, self.calendar)
                if self.calendar is not None
                else self.hours.days[day.weekday()]
            )
            for begin, end in spans:
                lo = _at(day, begin, self.zone)
                hi = _at(day + timedelta(days=1), time.min, self.zone) if end == time.max \
                    else _at(day, end, self.zone)  # fmt: skip
                if hi > start:
                    yield max(lo, start), hi
            day += timedelta(days=1)
        raise ValueError("no working time within three years: check the body's hours")

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment `seconds` of counting time have passed since `start`."""
        left = timedelta(seconds=seconds)
        if self.calendar is None and self.hours is ROUND_THE_CLOCK:
            return start + left
        for lo, hi in self._intervals(start):
            if hi - lo >= left:
                return lo + left
            left -= hi - lo
        raise AssertionError("unreachable: _intervals raises first")

    def between(self, start: datetime, end: datetime) -> float:
        """Seconds of counting time from `start` to `end` (0 when end is not after start)."""
        if end <= start:
            return 0.0
        if self.calendar is None and self.hours is ROUND_THE_CLOCK:
            return (end - start).total_seconds()
        total = timedelta(0)
        for lo, hi in self._intervals(start):
            if lo >= end:
                break
            total += min(hi, end) - lo
        return total.total_seconds()


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone)
