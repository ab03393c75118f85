"""The directory as the SLA monitor counts by it: each body's time zone and hours inherited
from its parents and the region, its parent and its head; the ЦУР and the government named."""

from datetime import date
from pathlib import Path

from router.adapters.directory_file import load_directory
from router.directory_publisher import announcement

ROOT = Path(__file__).resolve().parents[4]
DIRECTORY = load_directory(ROOT / "config" / "directory.yaml", today=date(2026, 12, 1))


def test_every_active_body_is_announced_with_the_version() -> None:
    announced = announcement(DIRECTORY, 7)

    assert announced.version == 7
    assert {b.id for b in announced.bodies} == {b.id for b in DIRECTORY.agencies}
    assert announced.triage_body == "cur-ivanovo"
    assert announced.regional_government == "gov-ivanovo-region"


def test_time_zone_and_hours_are_inherited_and_a_body_keeps_its_own() -> None:
    bodies = {b.id: b for b in announcement(DIRECTORY, 1).bodies}
    school, department = bodies["ivanovo-school-5"], bodies["ivanovo-education"]
    city = DIRECTORY.get("adm-ivanovo")
    assert city is not None and city.hours

    assert school.hours == {"mon-fri": "08:00-17:00"}  # its own
    assert department.hours == dict(city.hours)  # the city administration's, above it
    assert school.timezone == department.timezone == "Europe/Moscow"  # the region's
    assert school.parent == "ivanovo-education"
    assert school.head is not None and school.head.position == "директор"
