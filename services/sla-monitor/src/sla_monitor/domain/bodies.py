"""The directory as the SLA monitor counts by it: each body's time, its vertical and its head
(announced by the router with every directory version it routes by)."""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from appeals_common.events import BodySchedule, DirectoryPublished, HeadContact
from sla_monitor.domain.calendar import ProductionCalendar, WeekHours, WorkingTime
from sla_monitor.domain.policy import ClockMode, Facts, Policy, Recipient, within

DEFAULT_ZONE = "Europe/Moscow"
# A body that no hours reach (none above it set them) works the usual office week.
OFFICE_WEEK = WeekHours.parse({"mon-thu": "09:00-18:00", "fri": "09:00-16:45"})


@dataclass(frozen=True)
class Bodies:
    version: int = 0  # 0: no directory announced yet; clocks count round the clock in Moscow
    triage_body: str | None = None
    regional_government: str | None = None
    by_id: dict[str, BodySchedule] = field(default_factory=dict)

    @classmethod
    def of(cls, published: DirectoryPublished) -> "Bodies":
        return cls(published.version, published.triage_body, published.regional_government,
                   {b.id: b for b in published.bodies})  # fmt: skip

    def facts(self, agency_id: str, *, urgent: bool, topic: str) -> Facts:
        body = self.by_id.get(agency_id)
        return Facts(urgent, topic, body.kind if body else None, body.territory if body else ())

    def working_time(
        self, agency_id: str, policy: Policy, calendar: ProductionCalendar
    ) -> WorkingTime:
        """How the body's clock counts under the policy."""
        body = self.by_id.get(agency_id)
        zone = ZoneInfo(body.timezone if body else DEFAULT_ZONE)
        if policy.mode is ClockMode.ROUND_THE_CLOCK:
            return WorkingTime(zone)
        hours = WeekHours.parse(body.hours) if body and body.hours else OFFICE_WEEK
        return WorkingTime(zone, hours, calendar)

    def name(self, agency_id: str) -> str:
        body = self.by_id.get(agency_id)
        return body.name if body else agency_id

    def municipalities(self) -> dict[str, str]:
        """Each body's municipality (its id), by the body's first territory code; "region"
        for the bodies above the municipalities."""
        towns = [b for b in self.by_id.values() if b.kind == "municipality"]
        found = {}
        for body in self.by_id.values():
            code = body.territory[0] if body.territory else ""
            town = next((t for t in towns if any(within(code, own) for own in t.territory)), None)
            found[body.id] = town.id if town and code else "region"
        return found

    def contact(self, agency_id: str, to: Recipient) -> HeadContact | None:
        """Who a step goes to: the head of the body, of its parent, of the ЦУР or of the
        region's government; None when the directory names nobody there."""
        body = self.by_id.get(agency_id)
        target = {
            Recipient.AGENCY: body,
            Recipient.HEAD: body,
            Recipient.PARENT_HEAD: self.by_id.get(body.parent) if body and body.parent else None,
            Recipient.CUR_SUPERVISOR: self.by_id.get(self.triage_body or ""),
            Recipient.GOVERNOR_OFFICE: self.by_id.get(self.regional_government or ""),
        }[to]
        return target.head if target else None
