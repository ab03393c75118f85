"""The SLA monitor's handlers: start a clock, stop it, flag what ran out."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import OutboxRelay, Outgoing, enqueue_many
from appeals_common.events import (
    AnswerKind,
    AppealAnswered,
    AppealClosed,
    AppealRouted,
    AppealWithdrawn,
    DirectoryPublished,
    Envelope,
    SlaDeadlineSet,
    new_envelope,
)
from appeals_common.topics import SLA_DEADLINES
from sla_monitor import metrics
from sla_monitor.adapters import backlog_sql, repository, steps_sql
from sla_monitor.adapters.orm import outbox
from sla_monitor.domain.backlog import change
from sla_monitor.domain.policy import Policy
from sla_monitor.domain.sla import SlaState, state_of
from sla_monitor.domain.steps import Clock, Step, Target, reassigned
from sla_monitor.setup import SlaSetup, refresh, store_directory


@dataclass(frozen=True)
class SlaDeps:
    sessions: async_sessionmaker[AsyncSession]
    setup: SlaSetup  # the calendar, policies and directory the clocks count by
    relay: OutboxRelay


async def handle_appeal_routed(event: Envelope[AppealRouted], deps: SlaDeps) -> None:
    await handle_routed_batch([event], deps)


async def handle_routed_batch(events: Sequence[Envelope[AppealRouted]], deps: SlaDeps) -> None:
    """Start the appeals' clocks, in one transaction: each one's policy, deadline and steps
    count from when the resident wrote. A later routing (a reassignment, or a restore after a
    deletion) moves the clock to its body as the policy says (`domain.steps.reassigned`)."""
    setup, firsts, later = deps.setup, {}, []
    for event in events:
        routed = event.payload
        if routed.routing > 0:
            later.append(event)  # after the first routings: a key's events keep their order
        elif routed.appeal_id not in firsts:  # the same appeal twice: the second is a no-op
            policy = setup.policies.choose(
                setup.bodies.facts(routed.agency_id, urgent=routed.urgent, topic=routed.topic)
            )
            time = setup.bodies.working_time(routed.agency_id, policy, setup.calendar)
            firsts[routed.appeal_id] = (
                event,
                policy,
                Clock(routed.written_at, policy, time).steps(),
            )
    async with deps.sessions() as session, session.begin():
        started = await repository.start_clocks(
            session, [_started(e, policy, planned, setup) for e, policy, planned in firsts.values()]
        )  # only the clocks this batch set: the queues sort by their deadlines
        await backlog_sql.record(session, [d for row in started for d in change(None, row)])
        await steps_sql.plan_fresh(
            session, [(r["appeal_id"], firsts[r["appeal_id"]][2]) for r in started if _still_due(r)]
        )
        await enqueue_many(session, outbox, [
            _deadline_set(row, firsts[row["appeal_id"]][0].correlation_id, "deadline")
            for row in started
        ])  # fmt: skip
        moved = [await _reassign(session, event, setup) for event in later]
    if started or any(moved):
        deps.relay.wake()
    for row in started:
        if row["answered_at"] is not None:
            _count_answer(row)  # the answer came first (answered on the platform)
    for event, was_moved in zip(later, moved, strict=True):
        if was_moved:
            metrics.REASSIGNED.labels(event.payload.agency_id).inc()


def _started(
    event: Envelope[AppealRouted], policy: Policy, planned: tuple[Step, ...], setup: SlaSetup
) -> dict[str, Any]:
    routed = event.payload
    return {
        "appeal_id": routed.appeal_id,
        "agency_id": routed.agency_id,
        "urgent": routed.urgent,
        "written_at": routed.written_at,
        "routed_at": routed.routed_at,
        "deadline": breach_of(planned),
        "target_seconds": policy.first_response_seconds,
        "correlation_id": event.correlation_id,
        "topic": routed.topic,
        "policy_id": policy.id,
        "policy_version": setup.policies.version,
        "clock_started_at": routed.written_at,
        "paused_seconds": 0.0,
        "extra_seconds": 0.0,
    }


async def _reassign(session: AsyncSession, event: Envelope[AppealRouted], setup: SlaSetup) -> bool:
    """Move the clock to a newer routing's body; False for a stale or repeated one."""
    routed = event.payload
    was = await repository.get_clock(session, routed.appeal_id, lock=True)
    moved = await repository.move_clock(
        session, routed.appeal_id, agency_id=routed.agency_id, routing=routed.routing,
        at=routed.routed_at,
    )  # fmt: skip
    row = await repository.get_clock(session, routed.appeal_id) if moved else None
    await backlog_sql.record(session, change(was, row) if row is not None else [])
    waiting = row is not None and row["paused_at"] is not None  # steps come back after
    if row is not None and row["policy_id"] is not None and _still_due(row) and not waiting:
        policy = setup.policies.by_id(row["policy_id"]) or setup.policies.choose(
            setup.bodies.facts(routed.agency_id, urgent=bool(row["urgent"]), topic=routed.topic)
        )
        time = setup.bodies.working_time(routed.agency_id, policy, setup.calendar)
        paused = row["paused_seconds"] or 0.0
        before = Clock(row["clock_started_at"], policy, time,
                       extra_seconds=(row["extra_seconds"] or 0.0) + paused)  # fmt: skip
        after = reassigned(before, routed.routed_at, time)
        planned = after.steps()
        await repository.update_clock(
            session, routed.appeal_id, clock_started_at=after.started_at,
            extra_seconds=after.extra_seconds - paused, deadline=breach_of(planned),
            paused_seconds=0.0 if after.started_at != before.started_at else paused,
        )  # fmt: skip
        await steps_sql.plan(session, routed.appeal_id, planned)
        row = {**row, "deadline": breach_of(planned)}
        await announce_deadline(session, row, event.correlation_id, f"deadline-{routed.routing}")
    return moved


def breach_of(planned: tuple[Step, ...]) -> datetime:
    return next(s.due_at for s in planned if s.key == "breach")


def _still_due(row: dict[str, Any]) -> bool:
    return all(row[k] is None for k in ("answered_at", "withdrawn_at", "closed_at"))


async def announce_deadline(
    session: AsyncSession, row: dict[str, Any], correlation_id: str, name: str
) -> None:
    await enqueue_many(session, outbox, [_deadline_set(row, correlation_id, name)])


def _deadline_set(row: Mapping[str, Any], correlation_id: str, name: str) -> Outgoing:
    """The clock's deadline for the queues; `name` makes its id (once per setting)."""
    deadline = SlaDeadlineSet(
        appeal_id=row["appeal_id"],
        agency_id=row["agency_id"],
        deadline=row["deadline"],
        target_seconds=row["target_seconds"],
    )
    envelope = new_envelope(
        deadline, source="sla-monitor", correlation_id=correlation_id,
        event_id=uuid.uuid5(row["appeal_id"], name),
    )  # fmt: skip
    return SLA_DEADLINES, envelope, str(row["appeal_id"])


async def handle_appeal_answered(event: Envelope[AppealAnswered], deps: SlaDeps) -> None:
    """The first answer, interim or final, is the first response: its steps end. The final
    answer resolves the appeal: every step ends. Later answers change nothing."""
    answered = event.payload
    final = answered.kind is AnswerKind.FINAL
    async with deps.sessions() as session, session.begin():
        row = await repository.stop_clock(session, answered.appeal_id, answered.answered_at)
        if row is not None:  # the first response
            await backlog_sql.record(session, change({**row, "answered_at": None}, row))
        resolved = final and await repository.resolve_clock(
            session, answered.appeal_id, answered.answered_at
        )
        if resolved:
            await steps_sql.drop_pending(session, answered.appeal_id)
        elif row is not None:
            await steps_sql.drop_pending(session, answered.appeal_id, [Target.FIRST_RESPONSE])
    if row is not None and row["deadline"] is not None:
        _count_answer(row)


async def handle_appeal_withdrawn(event: Envelope[AppealWithdrawn], deps: SlaDeps) -> None:
    """Stop waiting for an answer to an appeal deleted on the platform: it can no longer breach."""
    withdrawn = event.payload
    async with deps.sessions() as session, session.begin():
        row = await repository.withdraw_clock(session, withdrawn.appeal_id, withdrawn.withdrawn_at)
        if row is not None:
            await steps_sql.drop_pending(session, withdrawn.appeal_id)
            await backlog_sql.record(session, change({**row, "withdrawn_at": None}, row))
    if row is not None and row["answered_at"] is None and row["breached_at"] is None:
        metrics.WITHDRAWN.labels(row["agency_id"] or "unrouted").inc()


async def handle_appeal_closed(event: Envelope[AppealClosed], deps: SlaDeps) -> None:
    """Stop waiting for an answer to an appeal an operator closed (merged, not an appeal)."""
    closed = event.payload
    async with deps.sessions() as session, session.begin():
        row = await repository.close_clock(
            session, closed.appeal_id, closed.closed_at, closed.reason
        )
        if row is not None:
            await steps_sql.drop_pending(session, closed.appeal_id)
            await backlog_sql.record(session, change({**row, "closed_at": None}, row))
    if row is not None and row["answered_at"] is None and row["breached_at"] is None:
        metrics.CLOSED.labels(row["agency_id"] or "unrouted", closed.reason).inc()


def _count_answer(row: dict[str, Any]) -> None:
    state = state_of(row["deadline"], row["answered_at"], row["answered_at"])
    agency = row["agency_id"]
    metrics.ANSWERED.labels(agency, str(state is SlaState.ANSWERED_IN_TIME).lower()).inc()
    waited = (row["answered_at"] - row["written_at"]).total_seconds()
    metrics.FIRST_RESPONSE_SECONDS.labels(agency).observe(max(waited, 0.0))


async def handle_directory(event: Envelope[DirectoryPublished], deps: SlaDeps) -> None:
    """Keep a directory version the router announced; every replica picks it up from the
    database (setup.refresh), this one at once."""
    async with deps.sessions() as session, session.begin():
        await store_directory(session, event.payload)
    await refresh(deps.setup, deps.sessions)


async def refresh_backlog_gauges(deps: SlaDeps) -> None:
    """Fold the backlog's deltas and set the gauges from the counts every replica shares
    (one row per body: never a count of the clocks)."""
    async with deps.sessions() as session, session.begin():
        await backlog_sql.fold(session)
        backlog = await backlog_sql.counts(session)
    metrics.OPEN.clear()
    metrics.OVERDUE.clear()
    for agency, (open_, overdue) in backlog.items():
        metrics.OPEN.labels(agency).set(open_)
        metrics.OVERDUE.labels(agency).set(overdue)
