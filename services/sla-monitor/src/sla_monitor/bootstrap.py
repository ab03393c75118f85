"""Composition root: the SLA monitor's database, publisher, relay, consumer and scanner."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import httpx

from appeals_common.auth.tokens import HttpJwksSource, TokenVerifier
from appeals_common.db import TRANSIENT_DB_ERRORS, Database, OutboxRelay
from appeals_common.events import AppealAnswered, AppealClosed, AppealRouted, AppealWithdrawn
from appeals_common.kafka import EventConsumer, KafkaPublisher, Route
from appeals_common.runtime import Loops
from appeals_common.topics import (
    APPEALS_ANSWERED,
    APPEALS_CLOSED,
    APPEALS_ROUTED,
    APPEALS_WITHDRAWN,
)
from appeals_common.web import ReadinessCheck
from sla_monitor.adapters.orm import outbox
from sla_monitor.domain.sla import SlaPolicy
from sla_monitor.handlers import (
    SlaDeps,
    handle_appeal_answered,
    handle_appeal_closed,
    handle_appeal_routed,
    handle_appeal_withdrawn,
)
from sla_monitor.scanner import BreachScanner
from sla_monitor.settings import Settings


@dataclass
class SlaMonitor:
    settings: Settings
    database: Database
    publisher: KafkaPublisher
    relay: OutboxRelay
    consumer: EventConsumer
    scanner: BreachScanner
    deps: SlaDeps
    verifier: TokenVerifier
    http: httpx.AsyncClient

    async def start(self, loops: Loops) -> None:
        await self.publisher.start()
        await self.consumer.start()
        loops.start("outbox-relay", self.relay.run, self.relay.stop)
        loops.start("breach-scanner", self.scanner.run, self.scanner.stop)
        loops.start("consumer", self.consumer.run, self.consumer.stop)

    async def stop(self) -> None:
        await self.http.aclose()
        await self.publisher.stop()
        await self.database.dispose()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        return {"kafka": self.publisher.check, "postgres": self.database.check}


def bootstrap(settings: Settings) -> SlaMonitor:
    """Wire everything; nothing is started or connected here."""
    database = Database(settings)
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id="sla-monitor")
    relay = OutboxRelay(database.sessions, outbox, publisher)
    policy = SlaPolicy(settings.sla_target_seconds, settings.sla_urgent_target_seconds)
    deps = SlaDeps(sessions=database.sessions, policy=policy, relay=relay)
    consumer = EventConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"sla-monitor{settings.kafka_group_suffix}",
        routes=[
            Route(APPEALS_ROUTED, AppealRouted, partial(handle_appeal_routed, deps=deps)),
            Route(APPEALS_ANSWERED, AppealAnswered, partial(handle_appeal_answered, deps=deps)),
            Route(APPEALS_WITHDRAWN, AppealWithdrawn, partial(handle_appeal_withdrawn, deps=deps)),
            Route(APPEALS_CLOSED, AppealClosed, partial(handle_appeal_closed, deps=deps)),
        ],
        dead_letter=publisher,
        max_attempts=settings.handler_max_attempts,
        transient_errors=TRANSIENT_DB_ERRORS,
    )
    scanner = BreachScanner(deps, settings.sla_scan_interval_seconds)
    http = httpx.AsyncClient()
    verifier = TokenVerifier(settings, HttpJwksSource(settings, http))
    return SlaMonitor(settings, database, publisher, relay, consumer, scanner, deps, verifier, http)
