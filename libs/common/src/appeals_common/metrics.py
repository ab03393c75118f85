"""Prometheus metrics shared by all services; each service adds its own beside these."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_PUBLISHED = Counter(
    "appeals_events_published_total", "Events acknowledged by Kafka", ["topic"]
)
EVENTS_CONSUMED = Counter(
    "appeals_events_consumed_total", "Records taken from Kafka", ["topic", "group"]
)
EVENTS_DEAD_LETTERED = Counter(
    "appeals_events_dead_lettered_total", "Records sent to the dead-letter topic", ["topic"]
)
HANDLER_SECONDS = Histogram(
    "appeals_handler_seconds",
    "Time of one successful handler call: one event, or one batch for a batch handler",
    ["topic"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
CONSUMER_LAG = Gauge(
    "appeals_consumer_lag", "Records behind the partition's end", ["group", "topic", "partition"]
)
OUTBOX_PUBLISHED = Counter(
    "appeals_outbox_published_total", "Outbox rows relayed to Kafka", ["table"]
)
HTTP_REQUESTS = Counter(
    "appeals_http_requests_total", "HTTP requests served", ["method", "route", "status"]
)
HTTP_SECONDS = Histogram(
    "appeals_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
