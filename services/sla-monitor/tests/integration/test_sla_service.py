"""The SLA monitor against the real broker and database: clocks, replay, breaches."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from appeals_common.events import (
    AppealAnswered,
    AppealRouted,
    AppealWithdrawn,
    Platform,
    ResponseChannel,
    new_envelope,
)
from appeals_common.testing import TopicReader
from appeals_common.topics import (
    APPEALS_ANSWERED,
    APPEALS_ROUTED,
    APPEALS_WITHDRAWN,
    SLA_BREACHES,
    SLA_DEADLINES,
)
from sla_monitor.handlers import handle_appeal_routed, handle_appeal_withdrawn
from sla_monitor.main import app

pytestmark = pytest.mark.integration
POLICIES = Path(__file__).resolve().parents[1] / "fixtures" / "sla-policies-it.yaml"


@pytest.fixture
async def client(infra, identity, monkeypatch) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """The SLA monitor in-process, read by a ЦУР operator (who sees every clock)."""
    # One group for every test app: each resumes where the last left off instead of
    # replaying every topic from the start.
    monkeypatch.setenv("KAFKA_GROUP_SUFFIX", "-it")
    monkeypatch.setenv("SLA_POLICIES_FILE", str(POLICIES))
    monkeypatch.setenv("SLA_POLICIES_SOURCE", "file")
    monkeypatch.setenv("SLA_SCAN_INTERVAL_SECONDS", "0.3")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = identity.headers("cur-operator")
        async with httpx.AsyncClient(
            transport=transport, base_url="http://sla", headers=headers
        ) as c:
            yield c


def _routed(written_ago: timedelta, *, urgent: bool = False):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    appeal_id = uuid.uuid4()
    payload = AppealRouted(
        appeal_id=appeal_id,
        agency_id="ivanovo-zhkh",
        agency_name="ЖКХ",
        topic="housing.heating",
        urgent=urgent,
        platform=Platform.VK,
        page_id="vk-adm-ivanovo",
        routed_at=now,
        written_at=now - written_ago,
    )
    return new_envelope(payload, source="test", correlation_id=f"corr-{appeal_id}")


def _answered(appeal_id: uuid.UUID, at: datetime):  # type: ignore[no-untyped-def]
    payload = AppealAnswered(
        appeal_id=appeal_id,
        response_id=uuid.uuid4(),
        agency_id="ivanovo-zhkh",
        channel=ResponseChannel.QUEUE,
        answered_at=at,
    )
    return new_envelope(payload, source="test", correlation_id=f"corr-{appeal_id}")


async def _publish(topic: str, event) -> None:  # type: ignore[no-untyped-def]
    await app.state.service.publisher.publish(topic, event, key=str(event.payload.appeal_id))


async def _state(
    client: httpx.AsyncClient, appeal_id: uuid.UUID, *, until: str
) -> dict[str, object]:
    async with asyncio.timeout(30):
        while True:
            response = await client.get(f"/v1/sla/appeals/{appeal_id}")
            if response.status_code == 200 and response.json()["state"] == until:
                return dict(response.json())
            await asyncio.sleep(0.1)


async def test_overdue_appeal_is_breached_once_even_when_replayed(infra, client) -> None:
    event = _routed(timedelta(minutes=15))  # target 10 min: already late
    appeal_id = event.payload.appeal_id
    async with TopicReader(infra.kafka_bootstrap_servers, SLA_BREACHES) as breaches:
        await _publish(APPEALS_ROUTED, event)
        await _publish(APPEALS_ROUTED, event)
        await breaches.wait_for(
            lambda r: json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)
        )
        await breaches.drain(1.5)  # several scans run meanwhile
    mine = [
        r for r in breaches.seen if json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)
    ]
    assert len(mine) == 1
    breach = json.loads(mine[0].value)["payload"]
    assert breach["agency_id"] == "ivanovo-zhkh"
    assert breach["target_seconds"] == 600
    clock = await _state(client, appeal_id, until="overdue")
    assert clock["breached_at"] is not None


async def test_the_deadline_is_announced_once_for_the_queues(infra, client) -> None:
    event = _routed(timedelta(minutes=1))
    appeal_id = event.payload.appeal_id
    async with TopicReader(infra.kafka_bootstrap_servers, SLA_DEADLINES) as deadlines:
        await _publish(APPEALS_ROUTED, event)
        await _publish(APPEALS_ROUTED, event)  # a redelivery: the clock is set, nothing more
        await deadlines.wait_for(
            lambda r: json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)
        )
        await deadlines.drain(1.0)
    mine = [
        json.loads(r.value)["payload"]
        for r in deadlines.seen
        if json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)
    ]
    assert len(mine) == 1
    written_at = event.payload.written_at
    assert datetime.fromisoformat(mine[0]["deadline"]) == written_at + timedelta(seconds=600)
    assert (mine[0]["agency_id"], mine[0]["target_seconds"]) == ("ivanovo-zhkh", 600)


async def test_answer_in_time_stops_the_clock_and_no_breach_follows(infra, client) -> None:
    event = _routed(timedelta(seconds=30), urgent=True)  # urgent target 60 s: 30 s to answer
    appeal_id = event.payload.appeal_id
    async with TopicReader(infra.kafka_bootstrap_servers, SLA_BREACHES) as breaches:
        await _publish(APPEALS_ROUTED, event)
        await _state(client, appeal_id, until="open")
        await _publish(APPEALS_ANSWERED, _answered(appeal_id, datetime.now(UTC)))
        clock = await _state(client, appeal_id, until="answered_in_time")
        later = await breaches.drain(2.0)
    assert clock["deadline"] is not None
    assert [r for r in later if json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)] == []


async def test_answer_before_routing_is_kept(client) -> None:
    event = _routed(timedelta(minutes=1))
    appeal_id = event.payload.appeal_id
    await _publish(APPEALS_ANSWERED, _answered(appeal_id, datetime.now(UTC)))
    await _state(client, appeal_id, until="unrouted")
    await _publish(APPEALS_ROUTED, event)
    await _state(client, appeal_id, until="answered_in_time")


async def test_backlog_counts_open_and_overdue(client) -> None:
    event = _routed(timedelta(minutes=20))
    await _publish(APPEALS_ROUTED, event)
    await _state(client, event.payload.appeal_id, until="overdue")
    backlog = {b["agency_id"]: b for b in (await client.get("/v1/sla/backlog")).json()}
    assert backlog["ivanovo-zhkh"]["overdue"] >= 1
    metrics = (await client.get("/metrics")).text
    assert 'sla_appeals_overdue{agency="ivanovo-zhkh"}' in metrics


def _withdrawn(appeal_id: uuid.UUID, at: datetime):  # type: ignore[no-untyped-def]
    payload = AppealWithdrawn(
        appeal_id=appeal_id,
        platform=Platform.VK,
        page_id="vk-adm-ivanovo",
        external_id="wall-220001_3/77",
        withdrawn_at=at,
    )
    return new_envelope(payload, source="test", correlation_id=f"corr-{appeal_id}")


async def test_a_withdrawal_stops_the_clock_once(client) -> None:
    event = _routed(timedelta(minutes=1))
    appeal_id = event.payload.appeal_id
    await _publish(APPEALS_ROUTED, event)
    await _state(client, appeal_id, until="open")
    first = datetime.now(UTC).replace(microsecond=0)
    await _publish(APPEALS_WITHDRAWN, _withdrawn(appeal_id, first))
    clock = await _state(client, appeal_id, until="withdrawn")
    # Redelivered, even with another time: the handler keeps the first deletion.
    deps = app.state.service.deps
    await handle_appeal_withdrawn(_withdrawn(appeal_id, first + timedelta(minutes=1)), deps)
    clock = await _state(client, appeal_id, until="withdrawn")
    assert datetime.fromisoformat(str(clock["withdrawn_at"])) == first
    assert clock["breached_at"] is None


async def test_a_deletion_seen_before_the_routing_is_kept(infra, client) -> None:
    event = _routed(timedelta(minutes=30))  # already past its 10 min target when routed
    appeal_id = event.payload.appeal_id
    async with TopicReader(infra.kafka_bootstrap_servers, SLA_BREACHES) as breaches:
        await _publish(APPEALS_WITHDRAWN, _withdrawn(appeal_id, datetime.now(UTC)))
        await _state(client, appeal_id, until="withdrawn")
        await _publish(APPEALS_ROUTED, event)
        async with asyncio.timeout(30):  # the routing lands on the withdrawn clock
            while (clock := await _state(client, appeal_id, until="withdrawn"))["deadline"] is None:
                await asyncio.sleep(0.1)
        later = await breaches.drain(2.0)
    assert clock["state"] == "withdrawn"
    assert [r for r in later if json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)] == []


async def test_a_reassignment_moves_the_clock_to_the_new_agency(client) -> None:
    first = _routed(timedelta(minutes=1))
    appeal_id = first.payload.appeal_id
    moved = new_envelope(
        first.payload.model_copy(update={"agency_id": "ivanovo-roads", "routing": 1}),
        source="test",
        correlation_id=first.correlation_id,
    )
    await _publish(APPEALS_ROUTED, first)
    opened = await _state(client, appeal_id, until="open")
    await _publish(APPEALS_ROUTED, moved)
    async with asyncio.timeout(30):
        while (clock := await _state(client, appeal_id, until="open"))["agency_id"] != (
            "ivanovo-roads"
        ):
            await asyncio.sleep(0.1)
    assert clock["deadline"] == opened["deadline"]
    # The first routing redelivered, or the same move again, change nothing.
    deps = app.state.service.deps
    await handle_appeal_routed(first, deps)
    await handle_appeal_routed(moved, deps)
    clock = await _state(client, appeal_id, until="open")
    assert (clock["agency_id"], clock["deadline"]) == ("ivanovo-roads", opened["deadline"])


async def test_a_restore_after_a_deletion_reopens_the_clock(client) -> None:
    first = _routed(timedelta(minutes=1))
    appeal_id = first.payload.appeal_id
    await _publish(APPEALS_ROUTED, first)
    await _state(client, appeal_id, until="open")
    deps, deleted_at = app.state.service.deps, datetime.now(UTC)
    await handle_appeal_withdrawn(_withdrawn(appeal_id, deleted_at), deps)
    await _state(client, appeal_id, until="withdrawn")
    restored = new_envelope(
        first.payload.model_copy(
            update={"routing": 1, "routed_at": deleted_at + timedelta(seconds=30)}
        ),
        source="test",
        correlation_id=first.correlation_id,
    )
    await handle_appeal_routed(restored, deps)
    await _state(client, appeal_id, until="open")
    # The same deletion delivered again, late: the restore is newer and stands.
    await handle_appeal_withdrawn(_withdrawn(appeal_id, deleted_at), deps)
    await _state(client, appeal_id, until="open")
    # A deletion after the restore withdraws it again.
    await handle_appeal_withdrawn(_withdrawn(appeal_id, deleted_at + timedelta(minutes=1)), deps)
    await _state(client, appeal_id, until="withdrawn")
