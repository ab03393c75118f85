"""Ingest's own metrics. Labels never carry personal data, nor values a sender can invent."""

from prometheus_client import Counter

APPEALS_RECEIVED = Counter(
    "ingest_appeals_received_total",
    "Appeals accepted and acknowledged by Kafka",
    ["platform", "kind"],
)
APPEAL_REVISIONS = Counter(
    "ingest_appeal_revisions_total",
    "Edits and restores of appeals published as revisions",
    ["platform", "kind"],
)
APPEALS_WITHDRAWN = Counter(
    "ingest_appeals_withdrawn_total", "Deletions published as withdrawals", ["platform"]
)
PLATFORM_ANSWERS = Counter(
    "ingest_platform_answers_total", "Replies by the page itself published as answers"
)
CALLBACKS_REJECTED = Counter(
    "ingest_callbacks_rejected_total", "Callbacks refused with a 4xx", ["platform", "reason"]
)
CALLBACKS_IGNORED = Counter(
    "ingest_callbacks_ignored_total",
    "Callbacks acknowledged but not processed",
    ["platform", "type"],
)
