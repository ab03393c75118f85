"""SLA reports: the period a report covers, and what a row of it says.

A period is a day, a week (Monday to Sunday) or a month of the region's calendar, in the
region's time zone: a governor's "today" begins at local midnight, not UTC's.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Grouping(StrEnum):
    BODY = "body"
    MUNICIPALITY = "municipality"
    TOPIC = "topic"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: datetime
    end: datetime  # exclusive

    @classmethod
    def of(cls, kind: PeriodKind, day: date, zone: ZoneInfo) -> "Period":
        if kind is PeriodKind.DAY:
            first, last = day, day + timedelta(days=1)
        elif kind is PeriodKind.WEEK:
            first = day - timedelta(days=day.weekday())
            last = first + timedelta(days=7)
        else:
            first = day.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1)
        return cls(kind, _midnight(first, zone), _midnight(last, zone))


@dataclass(frozen=True)
class ReportRow:
    key: str
    name: str
    received: int
    answered_in_time: int
    late: int  # answered after the deadline, or unanswered past it
    median_first_answer_seconds: float | None
    p90_first_answer_seconds: float | None
    open_now: int
    overdue_now: int

    @property
    def compliance(self) -> float | None:
        """The share answered in time of those whose outcome is known."""
        decided = self.answered_in_time + self.late
        return self.answered_in_time / decided if decided else None


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)
