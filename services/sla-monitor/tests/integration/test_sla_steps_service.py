"""The clock's steps on the real service, database and broker: a routed appeal gets its
policy's warnings, breach, escalations and resolution; each fires exactly once, across two
replicas scanning at once and across a restart; an answer ends what is pending; a directory
announced by the router makes a working-hours policy count in the body's time zone."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sla_support import close_clock, running_monitor
from sqlalchemy import delete

from appeals_common.events import (
    AppealAnswered,
    AppealPauseChanged,
    AppealRouted,
    BodySchedule,
    DirectoryPublished,
    Platform,
    ResponseChannel,
    new_envelope,
)
from appeals_common.testing import TopicReader
from appeals_common.topics import SLA_STEPS
from sla_monitor.adapters import backlog_sql, repository, steps_sql
from sla_monitor.adapters.orm import directory_versions
from sla_monitor.domain.bodies import Bodies
from sla_monitor.handlers import (
    handle_appeal_answered,
    handle_appeal_routed,
    handle_directory,
    refresh_backlog_gauges,
)
from sla_monitor.main import app
from sla_monitor.pauses import handle_pause_changed
from sla_monitor.scanner import fire_due_steps

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with running_monitor(SLA_SCAN_INTERVAL_SECONDS="3600"):  # the tests scan themselves
        yield


def _deps():  # type: ignore[no-untyped-def]
    return app.state.service.deps


def _routed(written_ago: timedelta, agency_id: str = "ivanovo-zhkh", **changes: object):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    payload = AppealRouted(
        appeal_id=uuid.uuid4(), agency_id=agency_id, agency_name="ЖКХ",
        topic="housing.heating", urgent=False, platform=Platform.VK, page_id="vk-adm-ivanovo",
        routed_at=now, written_at=now - written_ago,
    ).model_copy(update=changes)  # fmt: skip
    return new_envelope(payload, source="test", correlation_id=f"corr-{payload.appeal_id}")


async def _steps(appeal_id: uuid.UUID) -> dict[str, dict[str, object]]:
    async with _deps().sessions() as session:
        return {row["step"]: row for row in await steps_sql.pending(session, appeal_id)}


async def test_a_routed_appeal_gets_its_policys_steps(running) -> None:  # type: ignore[no-untyped-def]
    event = _routed(timedelta(minutes=1))

    await handle_appeal_routed(event, _deps())

    steps = await _steps(event.payload.appeal_id)
    written = event.payload.written_at
    assert set(steps) == {"warning-50", "warning-80", "breach", "escalation-1",
                          "escalation-2", "resolution"}  # fmt: skip
    assert steps["breach"]["due_at"] == written + timedelta(seconds=600)
    assert steps["escalation-2"]["recipient"] == "governor_office"
    assert steps["resolution"]["due_at"] == written + timedelta(seconds=3600)
    assert all(s["fired_at"] is None for s in steps.values())


async def test_each_due_step_fires_once_across_two_replicas_and_a_restart(
    infra,
    running,  # type: ignore[no-untyped-def]
) -> None:
    event = _routed(timedelta(minutes=15))  # warnings and the breach are due, escalations not
    appeal_id = event.payload.appeal_id
    await handle_appeal_routed(event, _deps())

    async with TopicReader(infra.kafka_bootstrap_servers, SLA_STEPS) as fired:
        # Two replicas scan at once, in their own transactions, then again after a "restart".
        await asyncio.gather(fire_due_steps(_deps()), fire_due_steps(_deps()))
        await fire_due_steps(_deps())
        await fired.wait_for(lambda r: _step_of(r, appeal_id) == "breach")
        await fired.drain(1.5)

    mine = sorted(s for r in fired.seen if (s := _step_of(r, appeal_id)))
    assert mine == ["breach", "warning-50", "warning-80"]
    steps = await _steps(appeal_id)
    assert steps["escalation-1"]["fired_at"] is None  # due in 5 minutes
    breach = next(json.loads(r.value)["payload"] for r in fired.seen
                  if _step_of(r, appeal_id) == "breach")  # fmt: skip
    assert (breach["policy_id"], breach["recipient"]) == ("standard-it", "head")


async def test_an_answer_ends_every_pending_step(running) -> None:  # type: ignore[no-untyped-def]
    event = _routed(timedelta(minutes=15))
    appeal_id = event.payload.appeal_id
    await handle_appeal_routed(event, _deps())
    await fire_due_steps(_deps())
    answered = AppealAnswered(
        appeal_id=appeal_id, response_id=uuid.uuid4(), agency_id="ivanovo-zhkh",
        channel=ResponseChannel.QUEUE, answered_at=datetime.now(UTC),
    )  # fmt: skip

    await handle_appeal_answered(new_envelope(answered, source="t", correlation_id="c"), _deps())

    steps = await _steps(appeal_id)
    assert set(steps) == {"warning-50", "warning-80", "breach"}  # what fired stays, as history


async def test_an_announced_directory_sets_the_bodys_zone_and_hours(running) -> None:  # type: ignore[no-untyped-def]
    version = 1_000_000 + uuid.uuid4().int % 1_000_000  # above whatever the router announced
    school = BodySchedule(
        id="kamchatka-school-1", name="Школа № 1", kind="school", timezone="Asia/Kamchatka",
        hours={"mon-fri": "09:00-17:00"}, territory=("30701000",),
    )  # fmt: skip
    published = DirectoryPublished(
        version=version, region_oktmo="30000000", triage_body="cur", bodies=(school,)
    )
    await handle_directory(new_envelope(published, source="t", correlation_id="c"), _deps())
    # Friday 20:00 in Petropavlovsk-Kamchatsky is Friday 08:00 UTC.
    written = datetime(2026, 10, 16, 8, 0, tzinfo=UTC)
    event = _routed(timedelta(0), agency_id=school.id, written_at=written, routed_at=written)

    try:
        await handle_appeal_routed(event, _deps())
        assert _deps().setup.bodies.version == version
        breach = (await _steps(event.payload.appeal_id))["breach"]["due_at"]
    finally:  # the shared database goes back to the router's own announcements
        await close_clock(event.payload.appeal_id, school.id)
        async with _deps().sessions() as session, session.begin():
            await session.execute(delete(directory_versions).where(
                directory_versions.c.version == version))  # fmt: skip
        _deps().setup.bodies = Bodies()

    # Two working hours from Monday 09:00 there (Sunday 21:00 UTC): 11:00, Sunday 23:00 UTC.
    assert breach == datetime(2026, 10, 18, 23, 0, tzinfo=UTC)


def _step_of(record, appeal_id: uuid.UUID) -> str | None:  # type: ignore[no-untyped-def]
    payload = json.loads(record.value)["payload"]
    return payload["step"] if payload["appeal_id"] == str(appeal_id) else None


async def test_the_backlog_counts_follow_each_clock_without_counting_the_table(running) -> None:  # type: ignore[no-untyped-def]
    mine, other = f"it-{uuid.uuid4().hex[:8]}", f"it-{uuid.uuid4().hex[:8]}"
    event = _routed(timedelta(minutes=15), agency_id=mine)
    appeal_id = event.payload.appeal_id

    await handle_appeal_routed(event, _deps())
    assert await _counts(mine, other) == {mine: (1, 0)}
    await fire_due_steps(_deps())  # the breach fires
    assert await _counts(mine, other) == {mine: (1, 1)}
    moved = event.payload.model_copy(update={"agency_id": other, "routing": 1})
    await handle_appeal_routed(new_envelope(moved, source="t", correlation_id="c"), _deps())
    assert await _counts(mine, other) == {other: (1, 1)}
    answered = AppealAnswered(
        appeal_id=appeal_id, response_id=uuid.uuid4(), agency_id=other,
        channel=ResponseChannel.QUEUE, answered_at=datetime.now(UTC),
    )  # fmt: skip
    await handle_appeal_answered(new_envelope(answered, source="t", correlation_id="c"), _deps())
    assert await _counts(mine, other) == {}


async def _counts(*agencies: str) -> dict[str, tuple[int, int]]:
    await refresh_backlog_gauges(_deps())
    async with _deps().sessions() as session:
        return await backlog_sql.counts(session, frozenset(agencies))


async def test_an_interim_answer_ends_the_first_response_steps_and_the_final_one_the_rest(
    running,  # type: ignore[no-untyped-def]
) -> None:
    event = _routed(timedelta(minutes=1))
    appeal_id = event.payload.appeal_id
    await handle_appeal_routed(event, _deps())

    for kind in ("interim", "final"):
        answered = AppealAnswered(
            appeal_id=appeal_id, response_id=uuid.uuid4(), agency_id="ivanovo-zhkh",
            channel=ResponseChannel.QUEUE, answered_at=datetime.now(UTC), kind=kind,
        )  # fmt: skip
        await handle_appeal_answered(new_envelope(answered, source="t", correlation_id="c"),
                                     _deps())  # fmt: skip
        if kind == "interim":
            assert set(await _steps(appeal_id)) == {"resolution"}  # the resolution still runs

    assert await _steps(appeal_id) == {}
    async with _deps().sessions() as session:
        clock = await repository.get_clock(session, appeal_id)
    assert clock is not None and clock["answered_at"] < clock["resolved_at"]


async def test_a_wait_for_the_resident_stops_the_clock_and_moves_every_step_after(
    running,  # type: ignore[no-untyped-def]
) -> None:
    event = _routed(timedelta(minutes=1))
    appeal_id, written = event.payload.appeal_id, event.payload.written_at
    await handle_appeal_routed(event, _deps())
    paused_at = written + timedelta(minutes=2)

    resumed_at = paused_at + timedelta(hours=1)
    for paused, at in ((True, paused_at), (True, paused_at), (False, resumed_at)):
        change = AppealPauseChanged(
            appeal_id=appeal_id, agency_id="ivanovo-zhkh", paused=paused, at=at,
            reason="ждём номер дома" if paused else None,
        )  # fmt: skip
        await handle_pause_changed(new_envelope(change, source="t", correlation_id="c"), _deps())
        if paused:
            assert await _steps(appeal_id) == {}  # nothing fires while the body waits

    steps = await _steps(appeal_id)
    assert steps["breach"]["due_at"] == written + timedelta(seconds=600, hours=1)
    async with _deps().sessions() as session:
        clock = await repository.get_clock(session, appeal_id)
    assert clock is not None and clock["paused_at"] is None
    assert clock["deadline"] == written + timedelta(seconds=600, hours=1)
