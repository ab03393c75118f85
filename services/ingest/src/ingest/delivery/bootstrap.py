"""Composition root of the delivery worker: the registry snapshot (with the pages' tokens),
the senders, the intake consumer, the worker loop and the outbox relay."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx

from appeals_common.db import TRANSIENT_DB_ERRORS, Database, OutboxRelay
from appeals_common.events import AnswerRequested, Platform
from appeals_common.kafka import EventConsumer, KafkaPublisher, Route
from appeals_common.runtime import Loops
from appeals_common.topics import ANSWERS_REQUESTED
from appeals_common.web import ReadinessCheck
from ingest.adapters.credential_cipher import CredentialCipher
from ingest.adapters.delivery_orm import outbox
from ingest.adapters.registry_refresher import RegistryRefresher
from ingest.adapters.senders.max_bot import MaxSender
from ingest.adapters.senders.ok import OkSender
from ingest.adapters.senders.telegram import TelegramSender
from ingest.adapters.senders.vk import VkSender
from ingest.delivery.intake import IntakeDeps, handle_answer_requested
from ingest.delivery.ports import Sender
from ingest.delivery.settings import DeliverySettings
from ingest.delivery.worker import DeliveryWorker
from ingest.domain.pages import PageRegistry


@dataclass
class Snapshot:
    """The current page registry; the refresher swaps in a new one whole."""

    pages: PageRegistry = field(default_factory=lambda: PageRegistry([]))

    def use(self, pages: PageRegistry) -> None:
        self.pages = pages


@dataclass
class Delivery:
    settings: DeliverySettings
    database: Database
    publisher: KafkaPublisher
    relay: OutboxRelay
    consumer: EventConsumer
    worker: DeliveryWorker
    refresher: RegistryRefresher
    http: httpx.AsyncClient

    async def start(self, loops: Loops) -> None:
        await self.refresher.refresh()  # before the first delivery needs a page's token
        await self.publisher.start()
        await self.consumer.start()
        loops.start("page-registry", self.refresher.run, self.refresher.stop)
        loops.start("outbox-relay", self.relay.run, self.relay.stop)
        loops.start("delivery", self.worker.run, self.worker.stop)
        loops.start("consumer", self.consumer.run, self.consumer.stop)

    async def stop(self) -> None:
        await self.http.aclose()
        await self.publisher.stop()
        await self.database.dispose()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        return {"kafka": self.publisher.check, "postgres": self.database.check}


def senders(settings: DeliverySettings, http: httpx.AsyncClient) -> dict[Platform, Sender]:
    return {
        Platform.VK: VkSender(http, settings.vk_api_url, version=settings.vk_api_version),
        Platform.TELEGRAM: TelegramSender(http, settings.telegram_api_url),
        Platform.MAX: MaxSender(http, settings.max_api_url),
        Platform.OK: OkSender(http, settings.ok_api_url, settings.ok_graph_api_url),
    }


def bootstrap(settings: DeliverySettings) -> Delivery:
    """Wire everything; nothing is started or connected here."""
    database = Database(settings)
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id="ingest-delivery")
    relay = OutboxRelay(database.sessions, outbox, publisher)
    http = httpx.AsyncClient(timeout=httpx.Timeout(settings.call_timeout_seconds, connect=5.0))
    clock = partial(datetime.now, UTC)
    snapshot = Snapshot()
    refresher = RegistryRefresher(
        database.sessions,
        snapshot.use,
        cipher=CredentialCipher(settings.cipher_keys()),
        interval_s=settings.page_refresh_seconds,
    )
    worker = DeliveryWorker(
        sessions=database.sessions,
        senders=senders(settings, http),
        pages=lambda: snapshot.pages,
        clock=clock,
        published=relay.wake,
        lease=timedelta(seconds=settings.lease_seconds),
        batch=settings.batch,
    )
    intake = IntakeDeps(database.sessions, clock, requested=worker.wake, published=relay.wake)
    consumer = EventConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"ingest-delivery{settings.kafka_group_suffix}",
        routes=[
            Route(ANSWERS_REQUESTED, AnswerRequested, partial(handle_answer_requested, deps=intake))
        ],
        dead_letter=publisher,
        max_attempts=settings.handler_max_attempts,
        transient_errors=TRANSIENT_DB_ERRORS,
    )
    return Delivery(settings, database, publisher, relay, consumer, worker, refresher, http)
