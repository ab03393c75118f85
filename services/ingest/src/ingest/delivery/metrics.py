"""The delivery worker's metrics: by platform and reason code only, never a page or a text."""

from prometheus_client import Counter, Histogram

DELIVERIES = Counter(
    "ingest_answer_deliveries_total",
    "Answer deliveries finished, by outcome (delivered, failed) and retries scheduled",
    ["platform", "outcome"],
)
FAILURES = Counter(
    "ingest_answer_delivery_failures_total",
    "Answer deliveries that failed and wait for an operator, by reason",
    ["platform", "reason"],
)
CALL_ERRORS = Counter(
    "ingest_answer_delivery_call_errors_total",
    "Platform calls that did not post, retried or not, by reason",
    ["platform", "reason"],
)
DELIVERY_SECONDS = Histogram(
    "ingest_answer_delivery_seconds",
    "From the answer's request to its reply on the platform",
    ["platform"],
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)
