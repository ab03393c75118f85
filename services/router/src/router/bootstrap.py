"""Composition root: the router's database, publisher, relay and consumer."""

from dataclasses import dataclass
from functools import partial

from appeals_common.db import TRANSIENT_DB_ERRORS, Database, OutboxRelay
from appeals_common.events import AppealClassified
from appeals_common.kafka import EventConsumer, KafkaPublisher, Route
from appeals_common.topics import APPEALS_CLASSIFIED
from router.adapters.agency_directory_file import load_agency_directory
from router.adapters.orm import outbox
from router.handlers import RouterDeps, handle_appeal_classified
from router.settings import Settings


@dataclass
class Router:
    settings: Settings
    database: Database
    publisher: KafkaPublisher
    relay: OutboxRelay
    consumer: EventConsumer
    deps: RouterDeps


def bootstrap(settings: Settings) -> Router:
    """Wire everything; nothing is started or connected here."""
    database = Database(settings)
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id="router")
    relay = OutboxRelay(database.sessions, outbox, publisher)
    deps = RouterDeps(
        sessions=database.sessions,
        directory=load_agency_directory(settings.agency_directory_file),
        relay=relay,
        min_confidence=settings.min_confidence,
    )
    consumer = EventConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"router{settings.kafka_group_suffix}",
        routes=[
            Route(
                APPEALS_CLASSIFIED, AppealClassified, partial(handle_appeal_classified, deps=deps)
            )
        ],
        dead_letter=publisher,
        max_attempts=settings.handler_max_attempts,
        transient_errors=TRANSIENT_DB_ERRORS,
    )
    return Router(settings, database, publisher, relay, consumer, deps)
