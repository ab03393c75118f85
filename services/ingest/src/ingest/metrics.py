"""Ingest's own metrics. Labels never carry personal data, nor values a sender can invent."""

from prometheus_client import Counter, Gauge

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
OWN_REPLIES_SEEN = Counter(
    "ingest_own_replies_seen_total",
    "Replies of the page recognised as answers our delivery worker posted (not republished)",
)
CALLBACKS_REJECTED = Counter(
    "ingest_callbacks_rejected_total", "Callbacks refused with a 4xx", ["platform", "reason"]
)
CALLBACKS_IGNORED = Counter(
    "ingest_callbacks_ignored_total",
    "Callbacks acknowledged but not processed",
    ["platform", "type"],
)
CALLBACKS_RATE_LIMITED = Counter(
    # By platform only: a page id would multiply the series and say which page residents use.
    "ingest_callbacks_rate_limited_total",
    "Requests refused with 429 because their page was over its rate limit",
    ["platform"],
)
PAGE_REGISTRY_PAGES = Gauge(
    "ingest_page_registry_pages", "Pages in this replica's in-memory registry snapshot"
)
PAGE_REGISTRY_CHECKED = Gauge(
    "ingest_page_registry_checked_timestamp_seconds",
    "When this replica last found its registry snapshot up to date with the database",
)
PAGE_REGISTRY_FAILURES = Counter(
    "ingest_page_registry_refresh_failures_total",
    "Registry refreshes that failed (the replica keeps serving its last snapshot)",
)
POLLS = Counter(
    "ingest_comment_polls_total",
    "Polls of a page's comments (OK, MAX) by outcome: ok, failed, rate_limited, lease_lost",
    ["platform", "outcome"],
)
DUPLICATES_SKIPPED = Counter(
    "ingest_duplicates_skipped_total",
    "Retried deliveries of an event this process had published already: answered, not republished",
    ["topic"],
)
