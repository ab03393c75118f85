"""The SLA monitor's handlers: start a clock, stop it, flag what ran out."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import OutboxRelay, enqueue
from appeals_common.events import (
    AppealAnswered,
    AppealClosed,
    AppealRouted,
    AppealWithdrawn,
    Envelope,
    SlaBreached,
    SlaDeadlineSet,
    new_envelope,
)
from appeals_common.topics import SLA_BREACHES, SLA_DEADLINES
from sla_monitor import metrics
from sla_monitor.adapters import repository
from sla_monitor.adapters.orm import outbox
from sla_monitor.domain.sla import SlaPolicy, SlaState, state_of


@dataclass(frozen=True)
class SlaDeps:
    sessions: async_sessionmaker[AsyncSession]
    policy: SlaPolicy
    relay: OutboxRelay


async def handle_appeal_routed(event: Envelope[AppealRouted], deps: SlaDeps) -> None:
    """Start the appeal's clock: its deadline counts from when the resident wrote.

    A later routing (a reassignment, or a restore after a deletion) moves the clock to its
    agency and makes a withdrawn appeal live again; the deadline stays.
    """
    routed = event.payload
    if routed.routing > 0:
        async with deps.sessions() as session, session.begin():
            moved = await repository.move_clock(
                session,
                routed.appeal_id,
                agency_id=routed.agency_id,
                routing=routed.routing,
                at=routed.routed_at,
            )
        if moved:
            metrics.REASSIGNED.labels(routed.agency_id).inc()
        return
    async with deps.sessions() as session, session.begin():
        row = await repository.start_clock(
            session,
            {
                "appeal_id": routed.appeal_id,
                "agency_id": routed.agency_id,
                "urgent": routed.urgent,
                "written_at": routed.written_at,
                "routed_at": routed.routed_at,
                "deadline": deps.policy.deadline(routed.written_at, routed.urgent),
                "target_seconds": deps.policy.target_for(routed.urgent),
                "correlation_id": event.correlation_id,
            },
        )
        if row is not None:  # this event set the deadline: the queues sort by it
            deadline = SlaDeadlineSet(
                appeal_id=routed.appeal_id,
                agency_id=routed.agency_id,
                deadline=row["deadline"],
                target_seconds=row["target_seconds"],
            )
            envelope = new_envelope(
                deadline,
                source="sla-monitor",
                correlation_id=event.correlation_id,
                event_id=uuid.uuid5(routed.appeal_id, "deadline"),
            )
            await enqueue(session, outbox, SLA_DEADLINES, envelope, key=str(routed.appeal_id))
    if row is not None:
        deps.relay.wake()
    if row is not None and row["answered_at"] is not None:
        _count_answer(row)  # the answer came first (answered on the platform)


async def handle_appeal_answered(event: Envelope[AppealAnswered], deps: SlaDeps) -> None:
    """Stop the clock at the first answer; later answers change nothing."""
    async with deps.sessions() as session, session.begin():
        row = await repository.stop_clock(
            session, event.payload.appeal_id, event.payload.answered_at
        )
    if row is not None and row["deadline"] is not None:
        _count_answer(row)


async def handle_appeal_withdrawn(event: Envelope[AppealWithdrawn], deps: SlaDeps) -> None:
    """Stop waiting for an answer to an appeal deleted on the platform: it can no longer breach."""
    withdrawn = event.payload
    async with deps.sessions() as session, session.begin():
        row = await repository.withdraw_clock(session, withdrawn.appeal_id, withdrawn.withdrawn_at)
    if row is not None and row["answered_at"] is None and row["breached_at"] is None:
        metrics.WITHDRAWN.labels(row["agency_id"] or "unrouted").inc()


async def handle_appeal_closed(event: Envelope[AppealClosed], deps: SlaDeps) -> None:
    """Stop waiting for an answer to an appeal an operator closed (merged, not an appeal)."""
    closed = event.payload
    async with deps.sessions() as session, session.begin():
        row = await repository.close_clock(
            session, closed.appeal_id, closed.closed_at, closed.reason
        )
    if row is not None and row["answered_at"] is None and row["breached_at"] is None:
        metrics.CLOSED.labels(row["agency_id"] or "unrouted", closed.reason).inc()


def _count_answer(row: dict[str, Any]) -> None:
    state = state_of(row["deadline"], row["answered_at"], row["answered_at"])
    agency = row["agency_id"]
    metrics.ANSWERED.labels(agency, str(state is SlaState.ANSWERED_IN_TIME).lower()).inc()
    waited = (row["answered_at"] - row["written_at"]).total_seconds()
    metrics.FIRST_RESPONSE_SECONDS.labels(agency).observe(max(waited, 0.0))


SCAN_BATCH = 500


async def scan_breaches(deps: SlaDeps, *, limit: int = SCAN_BATCH) -> int:
    """Flag every appeal whose deadline passed unanswered and announce each breach once."""
    now = datetime.now(UTC)
    async with deps.sessions() as session, session.begin():
        flagged = await repository.flag_overdue(session, now, limit)
        for row in flagged:
            breach = SlaBreached(
                appeal_id=row["appeal_id"],
                agency_id=row["agency_id"],
                deadline=row["deadline"],
                detected_at=now,
                target_seconds=row["target_seconds"],
            )
            envelope = new_envelope(
                breach,
                source="sla-monitor",
                correlation_id=row["correlation_id"] or str(row["appeal_id"]),
                event_id=uuid.uuid5(row["appeal_id"], "breached"),
            )
            await enqueue(session, outbox, SLA_BREACHES, envelope, key=str(row["appeal_id"]))
    for row in flagged:
        metrics.BREACHES.labels(row["agency_id"]).inc()
    if flagged:
        deps.relay.wake()
    return len(flagged)


async def refresh_backlog_gauges(deps: SlaDeps) -> None:
    """Set the open/overdue gauges from the database, the one source every replica shares."""
    async with deps.sessions() as session:
        backlog = await repository.backlog_by_agency(session, datetime.now(UTC))
    metrics.OPEN.clear()
    metrics.OVERDUE.clear()
    for agency, (open_, overdue) in backlog.items():
        metrics.OPEN.labels(agency).set(open_)
        metrics.OVERDUE.labels(agency).set(overdue)
