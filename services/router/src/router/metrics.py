"""The router's own metrics."""

from collections.abc import Iterable

from prometheus_client import Counter, Gauge

from router.domain.directory import Body

ROUTED = Counter(
    "router_appeals_routed_total", "Appeals assigned to an agency", ["agency", "topic"]
)
NOT_APPEALS = Counter(
    "router_not_appeals_total", "Classified events that were not appeals", ["topic"]
)
RESPONSES = Counter("router_responses_total", "Responses recorded through the queue", ["agency"])
EDITS = Counter("router_appeal_edits_total", "Routed appeals whose text was edited on the platform")
PLATFORM_ANSWERS = Counter(
    "router_platform_answers_total", "Appeals the page answered directly on the platform"
)
WITHDRAWN = Counter("router_appeals_withdrawn_total", "Appeals deleted on the platform")
RESTORED = Counter(
    "router_appeals_restored_total", "Withdrawn appeals put back in their queue: restored"
)
REASSIGNED = Counter(
    "router_appeals_reassigned_total",
    "Appeals an operator moved, by the agency they went to",
    ["agency"],
)
AGENCY_INFO = Gauge(
    "router_agency_info",
    "The agency directory, one series per agency: dashboards join it to show agencies by name",
    ["agency", "agency_name", "territory", "body_type"],
)


def directory_loaded(agencies: Iterable[Body]) -> None:
    """Publish the directory's agencies (their names are what governors read)."""
    AGENCY_INFO.clear()
    for agency in agencies:
        territory = ",".join(agency.territory)  # OKTMO codes: a bounded set, not personal data
        AGENCY_INFO.labels(agency.id, agency.name, territory, agency.body_type).set(1)
