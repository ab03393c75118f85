"""Routed appeals a batch at a time, on the real database and broker: one transaction starts
every clock of the batch with its steps, backlog and deadline event, exactly as one at a time
would; a repeat in the batch, a redelivery of an appeal started before and a reassignment
behind its first routing in the same batch each come out right."""

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sla_support import close_clock, running_monitor

from appeals_common.events import AppealRouted, Platform, SlaDeadlineSet, decode_event, new_envelope
from appeals_common.testing import TopicReader
from appeals_common.topics import SLA_DEADLINES
from sla_monitor.adapters import backlog_sql, repository, steps_sql
from sla_monitor.handlers import handle_appeal_routed, handle_routed_batch
from sla_monitor.main import app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    # Nothing fires while the test looks.
    async with running_monitor(SLA_SCAN_INTERVAL_SECONDS="3600"):
        yield


def _routed(agency_id: str, *, routing: int = 0, appeal_id: uuid.UUID | None = None):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    payload = AppealRouted(
        appeal_id=appeal_id or uuid.uuid4(), agency_id=agency_id, agency_name="Тест",
        topic="housing.heating", urgent=False, platform=Platform.VK, page_id="vk-adm-ivanovo",
        routed_at=now, written_at=now - timedelta(minutes=1), routing=routing,
    )  # fmt: skip
    return new_envelope(payload, source="test", correlation_id=f"corr-{payload.appeal_id}")


async def test_a_batch_starts_each_clock_once_with_its_steps_and_deadline(infra, running) -> None:  # type: ignore[no-untyped-def]
    deps = app.state.service.deps
    agency, other = f"batch-{uuid.uuid4().hex[:8]}", f"batch-{uuid.uuid4().hex[:8]}"
    earlier = _routed(agency)
    await handle_appeal_routed(earlier, deps)  # started before: its redelivery is in the batch
    fresh = [_routed(agency) for _ in range(60)]
    moved = _routed(other, routing=1, appeal_id=fresh[7].payload.appeal_id)
    batch = [*fresh[:30], fresh[3], earlier, *fresh[30:], moved]
    ids = {e.payload.appeal_id for e in fresh}

    async with TopicReader(infra.kafka_bootstrap_servers, SLA_DEADLINES) as deadlines:
        await handle_routed_batch(batch, deps)
        await deadlines.wait_for(
            lambda r: decode_event(r.value, SlaDeadlineSet).payload.appeal_id in ids, count=61
        )  # 60 first deadlines and the reassignment's new one
        # All since the reader opened: a deadline announced twice would show.
        seen = [decode_event(r.value, SlaDeadlineSet) for r in await deadlines.drain(1.0)]

    async with deps.sessions() as session:
        clocks = {i: await repository.get_clock(session, i) for i in ids}
        steps = {i: await steps_sql.pending(session, i) for i in ids}
        backlog = await backlog_sql.counts(session, frozenset({agency, other}))
    assert all(c is not None and c["deadline"] is not None for c in clocks.values())
    assert {len(s) for s in steps.values()} == {6}  # warnings, breach, escalations, resolution
    assert clocks[moved.payload.appeal_id]["agency_id"] == other  # type: ignore[index]
    assert backlog == {agency: (60, 0), other: (1, 0)}  # the earlier one, the moved one
    announced = Counter(e.payload.appeal_id for e in seen if e.payload.appeal_id in ids)
    assert announced == {i: 2 if i == moved.payload.appeal_id else 1 for i in ids}

    for appeal_id in ids - {moved.payload.appeal_id}:
        await close_clock(appeal_id, agency)
    await close_clock(earlier.payload.appeal_id, agency)
    await close_clock(moved.payload.appeal_id, other)


async def test_a_redelivered_batch_changes_nothing(infra, running) -> None:  # type: ignore[no-untyped-def]
    deps = app.state.service.deps
    agency = f"batch-{uuid.uuid4().hex[:8]}"
    batch = [_routed(agency) for _ in range(20)]
    await handle_routed_batch(batch, deps)
    async with deps.sessions() as session:
        before = {e.payload.appeal_id: await repository.get_clock(session, e.payload.appeal_id)
                  for e in batch}  # fmt: skip

    async with TopicReader(infra.kafka_bootstrap_servers, SLA_DEADLINES) as deadlines:
        await handle_routed_batch(batch, deps)
        again = await deadlines.drain(1.5)

    async with deps.sessions() as session:
        after = {i: await repository.get_clock(session, i) for i in before}
        backlog = await backlog_sql.counts(session, frozenset({agency}))
    assert after == before
    assert backlog == {agency: (20, 0)}
    ids = {str(i).encode() for i in before}
    assert Counter(r.key in ids for r in again)[True] == 0
    for appeal_id in before:
        await close_clock(appeal_id, agency)
