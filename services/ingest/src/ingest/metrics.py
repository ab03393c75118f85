"""Ingest's own metrics. Labels never carry personal data."""

from prometheus_client import Counter

APPEALS_RECEIVED = Counter(
    "ingest_appeals_received_total",
    "Appeals accepted and acknowledged by Kafka",
    ["platform", "kind"],
)
CALLBACKS_REJECTED = Counter(
    "ingest_callbacks_rejected_total", "Callbacks refused with a 4xx", ["platform", "reason"]
)
CALLBACKS_IGNORED = Counter(
    "ingest_callbacks_ignored_total",
    "Callbacks acknowledged but not processed",
    ["platform", "type"],
)
