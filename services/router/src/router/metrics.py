"""The router's own metrics."""

from prometheus_client import Counter

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
REASSIGNED = Counter(
    "router_appeals_reassigned_total",
    "Appeals an operator moved, by the agency they went to",
    ["agency"],
)
