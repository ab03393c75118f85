"""The SLA figures the governors' dashboards read."""

from prometheus_client import Counter, Gauge, Histogram

OPEN = Gauge("sla_appeals_open", "Routed appeals not yet answered", ["agency"])
OVERDUE = Gauge("sla_appeals_overdue", "Unanswered appeals past their deadline", ["agency"])
BREACHES = Counter("sla_breaches_total", "Appeals flagged as not answered in time", ["agency"])
WITHDRAWN = Counter(
    "sla_withdrawn_total", "Appeals deleted on the platform before an answer was due", ["agency"]
)
REASSIGNED = Counter(
    "sla_reassigned_total", "Clocks moved to another agency by an operator", ["agency"]
)
ANSWERED = Counter(
    "sla_answered_total",
    "First responses, by whether they met the target",
    ["agency", "within_target"],
)
FIRST_RESPONSE_SECONDS = Histogram(
    "sla_first_response_seconds",
    "From the resident's message to the first response",
    ["agency"],
    buckets=(60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600, 72 * 3600),
)
CLOSED = Counter(
    "sla_appeals_closed_total",
    "Unanswered appeals an operator closed (merged or not an appeal): no longer due",
    ["agency", "reason"],
)
STEPS = Counter(
    "sla_steps_fired_total", "Warnings, breaches and escalations fired, by step", ["step"]
)
STEP_LATENESS = Histogram(
    "sla_step_lateness_seconds",
    "How long after its due time a warning, breach or escalation fired",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
)
NOTICES = Counter(
    "sla_notices_total",
    "Notices about SLA steps to officials, by step and outcome (sent, undeliverable, no_contact)",
    ["step", "outcome"],
)
