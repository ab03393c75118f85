"""Composition root: builds ingest's dependencies from its settings."""

from collections.abc import Mapping
from dataclasses import dataclass

from appeals_common.kafka import KafkaPublisher
from appeals_common.runtime import Loops
from appeals_common.web import ReadinessCheck
from ingest.adapters.page_registry_file import load_page_registry
from ingest.domain.pages import PageRegistry
from ingest.settings import Settings


@dataclass
class Ingest:
    settings: Settings
    pages: PageRegistry
    publisher: KafkaPublisher

    async def start(self, loops: Loops) -> None:
        await self.publisher.start()

    async def stop(self) -> None:
        await self.publisher.stop()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        return {"kafka": self.publisher.check}


def bootstrap(settings: Settings) -> Ingest:
    """Wire the page registry and the Kafka publisher (not started yet)."""
    return Ingest(
        settings=settings,
        pages=load_page_registry(settings.page_registry_file),
        publisher=KafkaPublisher(settings.kafka_bootstrap_servers, client_id="ingest"),
    )
