"""SLA policies: which targets an appeal gets, how its clock counts, and whom it escalates to.

A policy set is ordered: the first policy whose conditions hold decides, and the last one
holds for every appeal. Policies are data (config/sla-policies.yaml, then versions in the
database); an appeal keeps the version it was routed under.
"""

from dataclasses import dataclass
from enum import StrEnum


class ClockMode(StrEnum):
    ROUND_THE_CLOCK = "round_the_clock"  # what a resident on social media experiences
    WORKING_HOURS = "working_hours"  # the body's hours, time zone and production calendar


class OnReassign(StrEnum):
    CARRY_ON = "carry_on"  # the resident's clock runs on, with at least `grace` left
    RESTART = "restart"  # the new body gets the whole target from the reassignment


class Recipient(StrEnum):
    AGENCY = "agency"  # the body the appeal is with: its staff, through its head's contacts
    HEAD = "head"  # the head of that body
    PARENT_HEAD = "parent_head"  # the head of the body above it
    CUR_SUPERVISOR = "cur_supervisor"  # the head of the ЦУР (the triage body)
    GOVERNOR_OFFICE = "governor_office"  # the head of the regional government


@dataclass(frozen=True)
class Escalation:
    after_seconds: int  # after the breach, counted the policy's way
    to: Recipient


@dataclass(frozen=True)
class Conditions:
    urgent: bool | None = None
    topics: tuple[str, ...] = ()  # topic ids or whole sections ("housing.*")
    body_kinds: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()  # OKTMO codes the body's territory lies within

    def hold(self, facts: "Facts") -> bool:
        return (
            (self.urgent is None or facts.urgent == self.urgent)
            and (not self.topics or any(_topic_in(facts.topic, t) for t in self.topics))
            and (not self.body_kinds or facts.body_kind in self.body_kinds)
            and (
                not self.territories
                or any(within(own, t) for t in self.territories for own in facts.oktmo)
            )
        )


@dataclass(frozen=True)
class Facts:
    """What a policy is chosen by."""

    urgent: bool
    topic: str
    body_kind: str | None
    oktmo: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    id: str
    name: str  # in Russian, for the card and the reports
    when: Conditions
    first_response_seconds: int
    resolution_seconds: int
    mode: ClockMode = ClockMode.ROUND_THE_CLOCK
    warnings: tuple[float, ...] = (0.5, 0.8)  # shares of the first-response target
    escalations: tuple[Escalation, ...] = ()
    on_reassign: OnReassign = OnReassign.CARRY_ON
    grace_seconds: int = 3600


@dataclass(frozen=True)
class PolicySet:
    version: int
    policies: tuple[Policy, ...]

    def by_id(self, policy_id: str) -> Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)

    def choose(self, facts: Facts) -> Policy:
        """The first policy that holds; the set's last policy holds for every appeal."""
        return next((p for p in self.policies if p.when.hold(facts)), self.policies[-1])


def _topic_in(topic: str, wanted: str) -> bool:
    if wanted.endswith(".*"):
        return topic.split(".")[0] == wanted[:-2]
    return topic == wanted or topic.startswith(wanted + ".")


def within(code: str, territory: str) -> bool:
    """Whether OKTMO `code` lies within `territory` (a code covers the codes under it)."""
    stem = territory.rstrip("0")
    return code.startswith(stem[: max(len(stem), 2)])
