"""What the SLA monitor counts by, taken from the directory: each body's time zone and hours
as inherited from its parents and the region, its place in the vertical and its head."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from router.domain.directory import Body, BodyKind, Directory


@dataclass(frozen=True)
class Schedule:
    body: Body
    timezone: str
    hours: Mapping[str, str]  # empty: round the clock (nobody above it set hours)


def schedules(directory: Directory) -> list[Schedule]:
    """Every body with its inherited time zone and hours."""
    found = []
    for body in directory.bodies:
        line = list(_up(directory, body))
        zone = next((b.timezone for b in line if b.timezone), directory.region.timezone)
        hours = next((b.hours for b in line if b.hours), {})
        found.append(Schedule(body, zone, hours))
    return found


def regional_government(directory: Directory) -> Body | None:
    """The governor's office: the region's government (escalations end there)."""
    return next((b for b in directory.agencies if b.kind is BodyKind.REGIONAL_GOVERNMENT), None)


def _up(directory: Directory, body: Body) -> Iterator[Body]:
    """The body, its parent, and so on up (the import refuses cycles; `seen` guards anyway)."""
    seen: set[str] = set()
    current: Body | None = body
    while current is not None and current.id not in seen:
        yield current
        seen.add(current.id)
        current = directory.get(current.parent) if current.parent else None
