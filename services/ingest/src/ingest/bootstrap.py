"""Composition root: builds ingest's dependencies from its settings."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from appeals_common.db import Database
from appeals_common.kafka import KafkaPublisher
from appeals_common.runtime import Loops
from appeals_common.web import ReadinessCheck
from ingest.adapters.registry_refresher import RegistryRefresher
from ingest.domain.pages import PageRegistry
from ingest.domain.ratelimit import PageRateLimiter
from ingest.page_admin import PageAdmin
from ingest.settings import Settings


@dataclass
class RegistryStore:
    """The page registry's database side: its engine, the refresh loop, the admin commands."""

    database: Database
    refresher: RegistryRefresher
    admin: PageAdmin


@dataclass
class Ingest:
    settings: Settings
    pages: PageRegistry  # the snapshot callbacks read; replaced whole, never changed in place
    publisher: KafkaPublisher
    # Built from the settings here, so that every way of making an Ingest (tests too) has one.
    rate_limiter: PageRateLimiter = field(init=False)
    # None: a fixed in-memory registry (edge tests); the service always has one.
    store: RegistryStore | None = None

    def __post_init__(self) -> None:
        self.rate_limiter = PageRateLimiter(
            rate_per_second=self.settings.page_rate_per_second, burst=self.settings.page_burst
        )

    def use_pages(self, pages: PageRegistry) -> None:
        """Swap in a new registry snapshot (one assignment: a request sees one or the other)."""
        self.pages = pages

    async def start(self, loops: Loops) -> None:
        if self.store is not None:
            # Before serving: without its pages ingest would refuse every callback with 403.
            await self.store.refresher.refresh()
            loops.start("page-registry", self.store.refresher.run, self.store.refresher.stop)
        await self.publisher.start()

    async def stop(self) -> None:
        await self.publisher.stop()
        if self.store is not None:
            await self.store.database.dispose()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        return {"kafka": self.publisher.check}


def bootstrap(settings: Settings) -> Ingest:
    """Wire the page registry (loaded from the database at start) and the Kafka publisher."""
    ingest = Ingest(
        settings=settings,
        pages=PageRegistry([]),
        publisher=KafkaPublisher(settings.kafka_bootstrap_servers, client_id="ingest"),
    )
    database = Database(settings)
    refresher = RegistryRefresher(
        database.sessions, ingest.use_pages, interval_s=settings.page_refresh_seconds
    )
    ingest.store = RegistryStore(database, refresher, PageAdmin(database.sessions, refresher))
    return ingest
