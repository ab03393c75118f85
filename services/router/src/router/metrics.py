"""The router's own metrics."""

from prometheus_client import Counter

ROUTED = Counter(
    "router_appeals_routed_total", "Appeals assigned to an agency", ["agency", "topic"]
)
NOT_APPEALS = Counter(
    "router_not_appeals_total", "Classified events that were not appeals", ["topic"]
)
RESPONSES = Counter("router_responses_total", "Responses recorded through the queue", ["agency"])
