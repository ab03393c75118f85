"""The agency directory and the routing rule.

An appeal goes to an agency that answers for its topic, on the territory of the body whose
page it was written on; failing that to a regional agency for the topic; failing that (or
when the classifier was unsure) to the regional control centre's triage queue.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from appeals_common.events import Classification

REGION = "region"  # the territory of regional bodies: they answer for every municipality


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    body_type: str
    territory: str
    topics: tuple[str, ...]  # topic ids, or a section prefix such as "housing.*"
    parent: str | None = None  # the body it reports to: whose staff see its appeals too

    def answers_for(self, topic: str) -> bool:
        return any(
            t == topic or (t.endswith(".*") and topic.startswith(t[:-1])) for t in self.topics
        )


@dataclass(frozen=True)
class AgencyDirectory:
    agencies: tuple[Agency, ...]
    territories: dict[str, str]  # page-owning body id -> territory
    triage_agency_id: str

    def get(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def with_subordinates(self, agency_ids: Iterable[str]) -> frozenset[str]:
        """The agencies given and every agency under them, however deep."""
        found = {a for a in agency_ids if self.get(a) is not None}
        while True:
            below = {a.id for a in self.agencies if a.parent in found} - found
            if not below:
                return frozenset(found)
            found |= below

    @property
    def triage(self) -> Agency:
        agency = self.get(self.triage_agency_id)
        assert agency is not None, "validated when the directory is loaded"
        return agency


@dataclass(frozen=True)
class RoutingDecision:
    agency: Agency
    reason: str


def route(
    directory: AgencyDirectory,
    classification: Classification,
    body_id: str | None,
    *,
    min_confidence: float,
) -> RoutingDecision | None:
    """Choose the agency for an appeal; None when it is not an appeal at all."""
    if not classification.is_appeal:
        return None
    if classification.confidence < min_confidence or classification.topic == "other":
        return RoutingDecision(directory.triage, f"triage: {classification.reason}")
    territory = directory.territories.get(body_id or "", REGION)
    candidates = [a for a in directory.agencies if a.answers_for(classification.topic)]
    for wanted in (territory, REGION):
        match = next((a for a in candidates if a.territory == wanted), None)
        if match is not None:
            return RoutingDecision(match, f"{classification.topic} on {wanted}")
    return RoutingDecision(directory.triage, f"no agency for {classification.topic} on {territory}")
