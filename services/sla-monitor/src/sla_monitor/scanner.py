"""The steps' scan, run as one of the service's loops: every due step fires once.

Due steps are read by the partial index on their due time (never the whole table), in due
order, a batch at a time; each replica takes its own rows (SKIP LOCKED), marks them fired and
writes their events in one transaction, so a step fires exactly once across replicas and
restarts. How late each fires is exported as `sla_step_lateness_seconds`.
"""

import asyncio
import contextlib
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from appeals_common.db import DATABASE_UNREACHABLE, enqueue
from appeals_common.events import SlaBreached, SlaStepFired, new_envelope
from appeals_common.topics import SLA_BREACHES, SLA_STEPS
from sla_monitor import metrics
from sla_monitor.adapters import backlog_sql, steps_sql
from sla_monitor.adapters.orm import outbox
from sla_monitor.domain.backlog import change
from sla_monitor.handlers import SlaDeps, refresh_backlog_gauges

log = logging.getLogger(__name__)
SCAN_BATCH = 500


async def fire_due_steps(deps: SlaDeps, *, limit: int = SCAN_BATCH) -> int:
    """Fire the steps due now (up to `limit`); how many fired."""
    now = datetime.now(UTC)
    async with deps.sessions() as session, session.begin():
        fired = await steps_sql.fire_due(session, now, limit)
        for row in fired:
            for topic, envelope in _events(row, now):
                await enqueue(session, outbox, topic, envelope, key=str(row["appeal_id"]))
        breached = [r["appeal_id"] for r in fired if r["step"] == "breach"]
        flagged = await steps_sql.mark_breached(session, breached, now)
        deltas = [d for row in flagged for d in change({**row, "breached_at": None}, row)]
        await backlog_sql.record(session, deltas)
    for row in fired:
        metrics.STEPS.labels(row["step"]).inc()
        metrics.STEP_LATENESS.observe((now - row["due_at"]).total_seconds())
        if row["step"] == "breach":
            metrics.BREACHES.labels(row["agency_id"]).inc()
    if fired:
        deps.relay.wake()
    return len(fired)


def _events(row: dict[str, Any], now: datetime) -> list[tuple[str, Any]]:
    appeal_id, correlation = row["appeal_id"], row["correlation_id"] or str(row["appeal_id"])
    step = SlaStepFired(
        appeal_id=appeal_id, agency_id=row["agency_id"], step=row["step"],
        target=row["target"], share=row["share"], recipient=row["recipient"],
        policy_id=row["policy_id"] or "", policy_version=row["policy_version"] or 0,
        due_at=row["due_at"], fired_at=now,
    )  # fmt: skip
    events = [(SLA_STEPS, _envelope(step, correlation, appeal_id, f"step-{row['step']}"))]
    if row["step"] == "breach":  # the queues' badge and the dashboards' breach count
        breach = SlaBreached(
            appeal_id=appeal_id, agency_id=row["agency_id"], deadline=row["due_at"],
            detected_at=now, target_seconds=row["target_seconds"] or 0,
        )  # fmt: skip
        events.append((SLA_BREACHES, _envelope(breach, correlation, appeal_id, "breached")))
    return events


def _envelope(payload: Any, correlation: str, appeal_id: uuid.UUID, name: str) -> Any:
    return new_envelope(
        payload, source="sla-monitor", correlation_id=correlation,
        event_id=uuid.uuid5(appeal_id, name),
    )  # fmt: skip


class StepScanner:
    def __init__(self, deps: SlaDeps, interval_s: float) -> None:
        self._deps = deps
        self._interval_s = interval_s
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Fire what is due, refresh the gauges, sleep; a database outage only delays."""
        while not self._stopping.is_set():
            try:
                while await fire_due_steps(self._deps) >= SCAN_BATCH:
                    pass  # a backlog of due steps: keep firing before sleeping
                await refresh_backlog_gauges(self._deps)
            except DATABASE_UNREACHABLE as error:  # a restart or failover: no traceback each time
                log.warning("step scan waiting for the database", extra={"error": str(error)})
            except Exception:
                log.exception("step scan failed; retrying next interval")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval_s)

    async def stop(self) -> None:
        self._stopping.set()
