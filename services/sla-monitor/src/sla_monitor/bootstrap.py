"""Composition root: the SLA monitor's database, publisher, relay, consumer and scanner."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

import httpx
from sqlalchemy.exc import SQLAlchemyError

from appeals_common.auth.tokens import HttpJwksSource, TokenVerifier
from appeals_common.db import TRANSIENT_DB_ERRORS, Database, OutboxRelay
from appeals_common.events import (
    AppealAnswered,
    AppealClosed,
    AppealPauseChanged,
    AppealRouted,
    AppealWithdrawn,
    DirectoryPublished,
    SlaStepFired,
)
from appeals_common.kafka import BatchRoute, EventConsumer, KafkaPublisher, Route
from appeals_common.runtime import Loops, Periodic
from appeals_common.topics import (
    APPEALS_ANSWERED,
    APPEALS_CLOSED,
    APPEALS_PAUSES,
    APPEALS_ROUTED,
    APPEALS_WITHDRAWN,
    DIRECTORY_VERSIONS,
    SLA_STEPS,
)
from appeals_common.web import ReadinessCheck
from sla_monitor.adapters.orm import outbox
from sla_monitor.adapters.policy_file import parse_policies
from sla_monitor.adapters.production_calendar import russian_calendar
from sla_monitor.handlers import (
    SlaDeps,
    handle_appeal_answered,
    handle_appeal_closed,
    handle_appeal_withdrawn,
    handle_directory,
    handle_routed_batch,
)
from sla_monitor.notifications import NoticeDeps, handle_step_fired
from sla_monitor.notify.channels import channels
from sla_monitor.pauses import handle_pause_changed
from sla_monitor.scanner import StepScanner
from sla_monitor.settings import Settings
from sla_monitor.setup import SlaSetup, refresh, seed_policies


@dataclass
class SlaMonitor:
    settings: Settings
    database: Database
    publisher: KafkaPublisher
    relay: OutboxRelay
    consumer: EventConsumer
    scanner: StepScanner
    notices: EventConsumer | None  # its own group: a mail server away delays only notices
    notices_deps: NoticeDeps | None
    deps: SlaDeps
    verifier: TokenVerifier
    http: httpx.AsyncClient

    async def start(self, loops: Loops) -> None:
        await self.publisher.start()
        await self.consumer.start()
        loops.start("outbox-relay", self.relay.run, self.relay.stop)
        await seed_policies(self.deps.setup, self.database.sessions, self.settings.policies_file)
        await refresh(self.deps.setup, self.database.sessions)
        # Each replica follows the newest stored policies and directory (setup.py).
        refresher = Periodic(
            partial(refresh, self.deps.setup, self.database.sessions),
            self.settings.refresh_seconds, "looking for new SLA policies or directory",
            (OSError, SQLAlchemyError),
        )  # fmt: skip
        loops.start("sla-refresh", refresher.run, refresher.stop)
        loops.start("step-scanner", self.scanner.run, self.scanner.stop)
        loops.start("consumer", self.consumer.run, self.consumer.stop)
        if self.notices is not None:
            await self.notices.start()
            loops.start("notices", self.notices.run, self.notices.stop)

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
    # Checked here, so a broken file stops the start with the line that is wrong.
    policies = parse_policies(settings.policies_file.read_text(encoding="utf-8"))
    this_year = date.today().year
    calendar = russian_calendar(range(this_year - 1, this_year + 3), settings.calendar_file)
    deps = SlaDeps(
        sessions=database.sessions,
        setup=SlaSetup(calendar, policies, pinned=settings.policies_source == "file"),
        relay=relay,
    )
    consumer = EventConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"sla-monitor{settings.kafka_group_suffix}",
        routes=[
            BatchRoute(APPEALS_ROUTED, AppealRouted, partial(handle_routed_batch, deps=deps)),
            Route(APPEALS_ANSWERED, AppealAnswered, partial(handle_appeal_answered, deps=deps)),
            Route(APPEALS_WITHDRAWN, AppealWithdrawn, partial(handle_appeal_withdrawn, deps=deps)),
            Route(APPEALS_CLOSED, AppealClosed, partial(handle_appeal_closed, deps=deps)),
            Route(DIRECTORY_VERSIONS, DirectoryPublished, partial(handle_directory, deps=deps)),
            Route(APPEALS_PAUSES, AppealPauseChanged, partial(handle_pause_changed, deps=deps)),
        ],
        dead_letter=publisher,
        max_attempts=settings.handler_max_attempts,
        transient_errors=TRANSIENT_DB_ERRORS,
    )
    scanner = StepScanner(deps, settings.sla_scan_interval_seconds)
    http = httpx.AsyncClient(timeout=10.0)
    verifier = TokenVerifier(settings, HttpJwksSource(settings, http))
    notifier = channels(settings, http)
    notices, notice_deps = None, None
    if notifier is not None:
        notice_deps = NoticeDeps(database.sessions, deps.setup, notifier, settings.console_url)
        notices = EventConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            group_id=f"sla-notifier{settings.kafka_group_suffix}",
            routes=[Route(SLA_STEPS, SlaStepFired, partial(handle_step_fired, deps=notice_deps))],
            dead_letter=publisher,
            max_attempts=settings.handler_max_attempts,
            transient_errors=TRANSIENT_DB_ERRORS,
        )
    return SlaMonitor(
        settings, database, publisher, relay, consumer, scanner, notices, notice_deps, deps,
        verifier, http,
    )  # fmt: skip
