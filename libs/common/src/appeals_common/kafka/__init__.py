"""Kafka plumbing: an idempotent publisher, a consumer loop with manual commits and a DLQ."""

from appeals_common.kafka.admin import ensure_topics
from appeals_common.kafka.consumer import BatchRoute, EventConsumer, Route
from appeals_common.kafka.producer import KafkaPublisher, Publisher

__all__ = ["BatchRoute", "EventConsumer", "KafkaPublisher", "Publisher", "Route", "ensure_topics"]
