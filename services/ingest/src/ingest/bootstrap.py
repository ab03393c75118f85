"""Composition root: builds ingest's dependencies from its settings."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from appeals_common.db import Database
from appeals_common.events import Platform
from appeals_common.kafka import KafkaPublisher
from appeals_common.runtime import Loops
from appeals_common.web import ReadinessCheck
from ingest.adapters.credential_cipher import CredentialCipher
from ingest.adapters.host_throttle import HostThrottle
from ingest.adapters.max_comments import MaxCommentsClient
from ingest.adapters.ok_rest import OkRestClient
from ingest.adapters.own_replies import SqlOwnReplies
from ingest.adapters.registry_refresher import RegistryRefresher
from ingest.adapters.remembering_publisher import RememberingPublisher
from ingest.domain.pages import PageRegistry
from ingest.domain.ratelimit import PageRateLimiter
from ingest.handlers import OwnReplies
from ingest.page_admin import PageAdmin
from ingest.poll_page import PagePolling
from ingest.poller import Poller
from ingest.settings import Settings


@dataclass
class RegistryStore:
    """The page registry's database side: its engine, the refresh loop, the admin commands."""

    database: Database
    refresher: RegistryRefresher
    admin: PageAdmin


@dataclass
class CommentPolling:
    """The OK and MAX comment poller and the HTTP client its API clients share."""

    poller: Poller
    http: httpx.AsyncClient


@dataclass
class Ingest:
    settings: Settings
    pages: PageRegistry  # the snapshot callbacks read; replaced whole, never changed in place
    publisher: RememberingPublisher
    # Built from the settings here, so that every way of making an Ingest (tests too) has one.
    rate_limiter: PageRateLimiter = field(init=False)
    # None: a fixed in-memory registry (edge tests); the service always has one.
    store: RegistryStore | None = None
    polling: CommentPolling | None = None
    # Our delivered answers coming back as the page's replies (None: edge tests, no database).
    own_replies: OwnReplies | None = None

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
        if self.polling is not None:
            poller = self.polling.poller
            loops.start("comment-poller", poller.run, poller.stop)

    async def stop(self) -> None:
        if self.polling is not None:
            await self.polling.http.aclose()
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
        publisher=RememberingPublisher(
            KafkaPublisher(settings.kafka_bootstrap_servers, client_id="ingest"),
            capacity=settings.remembered_events,
        ),
    )
    database = Database(settings)
    cipher = CredentialCipher(settings.cipher_keys())
    refresher = RegistryRefresher(
        database.sessions,
        ingest.use_pages,
        cipher=cipher,
        interval_s=settings.page_refresh_seconds,
    )
    admin = PageAdmin(database.sessions, refresher, cipher)
    ingest.store = RegistryStore(database, refresher, admin)
    ingest.own_replies = SqlOwnReplies(database.sessions)
    ingest.polling = comment_polling(settings, ingest, database)
    return ingest


def comment_polling(settings: Settings, ingest: Ingest, database: Database) -> CommentPolling:
    """The poller over this process's registry snapshot, with one throttle per API host."""
    http = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
    throttle = HostThrottle(
        {
            urlsplit(settings.ok_api_url).netloc: settings.ok_api_rate_per_second,
            urlsplit(settings.max_api_url).netloc: settings.max_api_rate_per_second,
        }
    )
    polling = PagePolling(
        sessions=database.sessions,
        fetchers={
            Platform.OK: OkRestClient(http, settings.ok_api_url, throttle),
            Platform.MAX: MaxCommentsClient(http, settings.max_api_url, throttle),
        },
        publisher=ingest.publisher,
        salt=settings.author_key_salt,
        interval=timedelta(seconds=settings.poll_interval_seconds),
        posts=settings.poll_posts,
        clock=lambda: datetime.now(UTC),
        own_replies=ingest.own_replies,
    )
    idle_s = min(settings.poll_interval_seconds, 5.0)
    return CommentPolling(Poller(polling, lambda: ingest.pages, idle_s), http)
