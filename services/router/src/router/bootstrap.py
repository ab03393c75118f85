"""Composition root: the router's database, publisher, relay and consumer."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
from sqlalchemy.exc import SQLAlchemyError

from appeals_common.auth.tokens import HttpJwksSource, TokenVerifier
from appeals_common.db import TRANSIENT_DB_ERRORS, Database, OutboxRelay
from appeals_common.events import (
    AnswerDelivered,
    AnswerFailed,
    AppealAnswered,
    AppealClassified,
    AppealWithdrawn,
    SlaBreached,
    SlaDeadlineSet,
    SlaStepFired,
)
from appeals_common.kafka import BatchRoute, EventConsumer, KafkaPublisher, Route
from appeals_common.runtime import Loops, Periodic
from appeals_common.topics import (
    ANSWERS_DELIVERED,
    ANSWERS_FAILED,
    APPEALS_ANSWERED,
    APPEALS_CLASSIFIED,
    APPEALS_WITHDRAWN,
    SLA_BREACHES,
    SLA_DEADLINES,
    SLA_STEPS,
)
from appeals_common.web import ReadinessCheck
from router import directory_publisher
from router.actions import ActionDeps
from router.adapters.directory_file import load_directory
from router.adapters.gazetteer_csv import load_gazetteer_csv
from router.adapters.orm import outbox
from router.adapters.rules_file import load_rules
from router.adapters.unit_of_work import SqlUnitOfWork
from router.clarifications import handle_classified_batch
from router.deadlines import handle_breached, handle_deadlines, handle_step_fired
from router.delivery_reports import handle_answer_delivered, handle_answer_failed
from router.domain.gazetteer import Gazetteer
from router.handlers import (
    RouterDeps,
    handle_appeal_answered,
    handle_appeal_withdrawn,
)
from router.routing_setup import RoutingSetup, refresh, seed
from router.settings import Settings


@dataclass
class Router:
    settings: Settings
    database: Database
    publisher: KafkaPublisher
    relay: OutboxRelay
    consumer: EventConsumer
    deps: RouterDeps
    actions: ActionDeps
    verifier: TokenVerifier
    http: httpx.AsyncClient

    async def start(self, loops: Loops) -> None:
        settings = self.settings
        await seed(self.database.sessions, settings.directory_file, settings.routing_rules_file)
        await refresh(self.deps.setup, self.database.sessions)  # route by the stored versions
        await self.publisher.start()
        await self.consumer.start()
        loops.start("outbox-relay", self.relay.run, self.relay.stop)
        loops.start("consumer", self.consumer.run, self.consumer.stop)
        # Each replica follows the newest stored directory and rules (routing_setup).
        refresher = Periodic(
            partial(refresh, self.deps.setup, self.database.sessions),
            settings.config_refresh_seconds, "looking for a new directory or rule set",
            (OSError, SQLAlchemyError),
        )  # fmt: skip
        loops.start("config-refresh", refresher.run, refresher.stop)

    async def stop(self) -> None:
        await self.http.aclose()
        await self.publisher.stop()
        await self.database.dispose()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        return {"kafka": self.publisher.check, "postgres": self.database.check}


def bootstrap(settings: Settings) -> Router:
    """Wire everything; nothing is started or connected here."""
    database = Database(settings)
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id="router")
    relay = OutboxRelay(database.sessions, outbox, publisher)
    # The files are checked here, so a broken seed stops the start with the line that is wrong;
    # the database's newest versions replace them once the service starts (routing_setup).
    directory = load_directory(settings.directory_file)
    gazetteer = Gazetteer.build(load_gazetteer_csv(settings.gazetteer_file))
    rules = load_rules(settings.routing_rules_file, directory=directory, gazetteer=gazetteer)
    announce = partial(directory_publisher.publish, database.sessions, relay)
    setup = RoutingSetup(gazetteer, directory, rules, announce)
    deps = RouterDeps(
        sessions=database.sessions, setup=setup, relay=relay, min_confidence=settings.min_confidence
    )
    actions = ActionDeps(
        unit_of_work=lambda: SqlUnitOfWork(database.sessions),
        setup=setup,
        clock=lambda: datetime.now(UTC),
        claim_idle=timedelta(minutes=settings.claim_idle_minutes),
        published=relay.wake,
    )
    http = httpx.AsyncClient()
    verifier = TokenVerifier(settings, HttpJwksSource(settings, http))
    consumer = EventConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"router{settings.kafka_group_suffix}",
        routes=[
            BatchRoute(
                APPEALS_CLASSIFIED, AppealClassified, partial(handle_classified_batch, deps=deps)
            ),
            Route(APPEALS_ANSWERED, AppealAnswered, partial(handle_appeal_answered, deps=deps)),
            Route(APPEALS_WITHDRAWN, AppealWithdrawn, partial(handle_appeal_withdrawn, deps=deps)),
            BatchRoute(SLA_DEADLINES, SlaDeadlineSet, partial(handle_deadlines, deps=deps)),
            Route(SLA_BREACHES, SlaBreached, partial(handle_breached, deps=deps)),
            Route(SLA_STEPS, SlaStepFired, partial(handle_step_fired, deps=deps)),
            Route(ANSWERS_DELIVERED, AnswerDelivered, partial(handle_answer_delivered, deps=deps)),
            Route(ANSWERS_FAILED, AnswerFailed, partial(handle_answer_failed, deps=deps)),
        ],
        dead_letter=publisher,
        max_attempts=settings.handler_max_attempts,
        transient_errors=TRANSIENT_DB_ERRORS,
    )
    return Router(settings, database, publisher, relay, consumer, deps, actions, verifier, http)
