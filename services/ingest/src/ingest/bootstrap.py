"""Composition root: builds ingest's dependencies from its settings."""

from dataclasses import dataclass

from appeals_common.kafka import KafkaPublisher
from ingest.adapters.page_registry_file import load_page_registry
from ingest.domain.pages import PageRegistry
from ingest.settings import Settings


@dataclass
class Ingest:
    settings: Settings
    pages: PageRegistry
    publisher: KafkaPublisher


def bootstrap(settings: Settings) -> Ingest:
    """Wire the page registry and the Kafka publisher (not started yet)."""
    return Ingest(
        settings=settings,
        pages=load_page_registry(settings.page_registry_file),
        publisher=KafkaPublisher(settings.kafka_bootstrap_servers, client_id="ingest"),
    )
