"""The router against the real broker and database: routing, replay, queues, responses."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from router_support import classified_event
from sqlalchemy import func, select

from appeals_common.events import (
    AppealAnswered,
    AppealWithdrawn,
    Platform,
    ResponseChannel,
    new_envelope,
)
from appeals_common.testing import TopicReader
from appeals_common.topics import (
    APPEALS_ANSWERED,
    APPEALS_CLASSIFIED,
    APPEALS_ROUTED,
    APPEALS_WITHDRAWN,
    CLASSIFICATION_CORRECTIONS,
)
from router.adapters.orm import assignments
from router.handlers import handle_appeal_classified, handle_appeal_withdrawn
from router.main import app

pytestmark = pytest.mark.integration


@pytest.fixture
async def client(infra, identity, monkeypatch) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """The router in-process, called by a ЦУР operator (who sees every queue)."""
    # One group for every test app: each resumes where the last left off instead of
    # replaying every topic from the start.
    monkeypatch.setenv("KAFKA_GROUP_SUFFIX", "-it")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = identity.headers("cur-operator")
        async with httpx.AsyncClient(
            transport=transport, base_url="http://router", headers=headers
        ) as c:
            yield c


async def _act(
    client: httpx.AsyncClient, appeal_id: object, action: str, body: dict
) -> httpx.Response:  # type: ignore[type-arg]
    """An action on the appeal as it is now: its version goes in If-Match."""
    card = await client.get(f"/v1/appeals/{appeal_id}")
    headers = {"If-Match": card.headers["ETag"]} if card.status_code == 200 else {}
    return await client.post(f"/v1/appeals/{appeal_id}/{action}", json=body, headers=headers)


def _classified(text: str, topic: str, **options: object):  # type: ignore[no-untyped-def]
    return classified_event(text, topic, topic_name="t", **options)  # type: ignore[arg-type]


async def _publish(event) -> None:  # type: ignore[no-untyped-def]
    publisher = app.state.service.publisher
    await publisher.publish(APPEALS_CLASSIFIED, event, key=str(event.payload.appeal.appeal_id))


async def _queue(client: httpx.AsyncClient, agency: str, status: str = "open") -> list[str]:
    """Every appeal id of an agency's queue in its order, page by page (it may be long)."""
    ids: list[str] = []
    params: dict[str, object] = {"status": status, "limit": 500}
    while True:
        page = (await client.get(f"/v1/queues/{agency}", params=params)).json()
        ids += [item["appeal_id"] for item in page["items"]]
        if not page["next_cursor"]:
            return ids
        params["cursor"] = page["next_cursor"]


async def _wait_routed(client: httpx.AsyncClient, appeal_id: uuid.UUID) -> dict[str, object]:
    async with asyncio.timeout(30):
        while (response := await client.get(f"/v1/appeals/{appeal_id}")).status_code == 404:
            await asyncio.sleep(0.1)
    assert response.status_code == 200
    return dict(response.json()["appeal"])


async def test_replayed_event_is_routed_once(infra, client) -> None:
    event = _classified("Яма на дороге у дома 3", "roads.repair")
    appeal_id = event.payload.appeal.appeal_id
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_ROUTED) as routed:
        await _publish(event)
        await _publish(event)  # Kafka delivers at least once: the same event again
        appeal = await _wait_routed(client, appeal_id)
        records = await routed.wait_for(
            lambda r: json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)
        )
        await routed.drain(1.5)
    assert appeal["agency_id"] == "ivanovo-roads"
    assert (
        len(
            [
                r
                for r in routed.seen
                if json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)
            ]
        )
        == 1
    )
    assert json.loads(records[0].value)["correlation_id"] == f"corr-{appeal_id}"
    async with app.state.service.database.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(assignments)
            .where(assignments.c.appeal_id == appeal_id)
        )
    assert count == 1


async def test_queue_lists_urgent_first_and_a_response_answers(infra, client) -> None:
    calm = _classified("Не горит фонарь во дворе", "improvement.lighting")
    urgent = _classified("Пахнет газом в подъезде!", "housing.management", urgent=True)
    for event in (calm, urgent):
        await _publish(event)
    for event in (calm, urgent):
        await _wait_routed(client, event.payload.appeal.appeal_id)
    ids = await _queue(client, "ivanovo-zhkh")
    assert ids.index(str(urgent.payload.appeal.appeal_id)) < ids.index(
        str(calm.payload.appeal.appeal_id)
    )
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_ANSWERED) as answered:
        response = await _act(
            client, calm.payload.appeal.appeal_id, "answer", {"text": "Заявка передана подрядчику"}
        )
        assert response.status_code == 201
        [record] = await answered.wait_for(
            lambda r: (
                json.loads(r.value)["payload"]["appeal_id"] == str(calm.payload.appeal.appeal_id)
            )
        )
    assert json.loads(record.value)["payload"]["channel"] == "queue"
    appeal = (await client.get(f"/v1/appeals/{calm.payload.appeal.appeal_id}")).json()["appeal"]
    assert appeal["status"] == "answered"
    answered_queue = await _queue(client, "ivanovo-zhkh", "answered")
    assert str(calm.payload.appeal.appeal_id) in answered_queue


async def test_unsure_classification_goes_to_triage(client) -> None:
    event = _classified("ну и что теперь", "roads.repair", confidence=0.2)
    await _publish(event)
    appeal = await _wait_routed(client, event.payload.appeal.appeal_id)
    assert appeal["agency_id"] == "cur-ivanovo"


async def test_not_found_and_bad_input_are_4xx(client) -> None:
    assert (await client.get("/v1/queues/no-such-agency")).status_code == 404
    assert (await client.get(f"/v1/appeals/{uuid.uuid4()}")).status_code == 404
    assert (await _act(client, uuid.uuid4(), "answer", {"text": "x"})).status_code == 404
    assert (await _act(client, uuid.uuid4(), "answer", {"text": ""})).status_code == 422
    assert (await client.get("/v1/appeals/not-a-uuid")).status_code == 422
    assert (await client.get("/v1/queues/ivanovo-zhkh", params={"limit": 0})).status_code == 422


async def test_readiness_checks_kafka_and_postgres(client) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == ["kafka", "postgres", "loops"]


def _edit(event, revision: int, text: str, at: datetime | None = None):  # type: ignore[no-untyped-def]
    """The same classified appeal as `event`, with an edited text."""
    appeal = event.payload.appeal.model_copy(
        update={"revision": revision, "text": text, "edited_at": at or datetime.now(UTC)}
    )
    payload = event.payload.model_copy(update={"appeal": appeal})
    return new_envelope(payload, source="test", correlation_id=event.correlation_id)


async def test_an_edit_replaces_the_text_and_a_stale_one_does_not(client) -> None:
    event = _classified("Яма на Ленина", "roads.repair")
    appeal_id = event.payload.appeal.appeal_id
    await _publish(event)
    await _wait_routed(client, appeal_id)
    newest = "Яма на Ленина у дома 5, уже две машины пробили колёса"
    await _publish(_edit(event, 2_000, newest))
    async with asyncio.timeout(30):
        while (appeal := await _wait_routed(client, appeal_id))["revision"] != 2_000:
            await asyncio.sleep(0.1)
    # An older edit delivered late, and the original redelivered: neither wins.
    deps = app.state.service.deps
    await handle_appeal_classified(_edit(event, 1_000, "устаревшая правка"), deps)
    await handle_appeal_classified(event, deps)
    appeal = await _wait_routed(client, appeal_id)
    assert (appeal["text"], appeal["revision"], appeal["agency_id"]) == (
        newest,
        2_000,
        "ivanovo-roads",
    )
    assert appeal["edited_at"] is not None


def _platform_event(payload):  # type: ignore[no-untyped-def]
    return new_envelope(payload, source="ingest", correlation_id=str(payload.appeal_id))


async def _publish_to(topic: str, event) -> None:  # type: ignore[no-untyped-def]
    await app.state.service.publisher.publish(topic, event, key=str(event.payload.appeal_id))


def _answered_on_platform(appeal_id: uuid.UUID, at: datetime) -> AppealAnswered:
    return AppealAnswered(
        appeal_id=appeal_id,
        response_id=uuid.uuid5(appeal_id, "platform-reply"),
        agency_id=None,
        channel=ResponseChannel.PLATFORM,
        answered_at=at,
    )


def _withdrawn(appeal_id: uuid.UUID, at: datetime) -> AppealWithdrawn:
    return AppealWithdrawn(
        appeal_id=appeal_id,
        platform=Platform.VK,
        page_id="vk-adm-ivanovo",
        external_id="wall-220001_3/9",
        withdrawn_at=at,
    )


async def _wait_status(
    client: httpx.AsyncClient, appeal_id: uuid.UUID, status: str
) -> dict[str, object]:
    async with asyncio.timeout(30):
        while (appeal := await _wait_routed(client, appeal_id))["status"] != status:
            await asyncio.sleep(0.1)
    return appeal


async def test_an_answer_on_the_platform_takes_the_appeal_out_of_the_open_queue(client) -> None:
    before, after = (
        _classified("Нет света", "housing.electricity"),
        _classified("Нет воды", "housing.water"),
    )
    answered_at = datetime.now(UTC).replace(microsecond=0)
    # One answer arrives before its appeal is routed (other topic), one after.
    await _publish_to(
        APPEALS_ANSWERED,
        _platform_event(_answered_on_platform(before.payload.appeal.appeal_id, answered_at)),
    )
    await _publish(before)
    await _publish(after)
    await _wait_routed(client, after.payload.appeal.appeal_id)
    await _publish_to(
        APPEALS_ANSWERED,
        _platform_event(_answered_on_platform(after.payload.appeal.appeal_id, answered_at)),
    )
    for event in (before, after):
        appeal = await _wait_status(client, event.payload.appeal.appeal_id, "answered")
        assert datetime.fromisoformat(str(appeal["answered_at"])) == answered_at
    ids = set(await _queue(client, "ivanovo-zhkh"))
    assert {
        str(before.payload.appeal.appeal_id),
        str(after.payload.appeal.appeal_id),
    } & ids == set()


async def test_a_deleted_appeal_is_withdrawn_whether_routed_before_or_after(client) -> None:
    before, after = (
        _classified("Снег не убран", "improvement.snow"),
        _classified("Фонарь не горит", "improvement.lighting"),
    )
    now = datetime.now(UTC)
    await _publish_to(
        APPEALS_WITHDRAWN, _platform_event(_withdrawn(before.payload.appeal.appeal_id, now))
    )
    await _publish(before)
    await _publish(after)
    await _wait_routed(client, after.payload.appeal.appeal_id)
    await _publish_to(
        APPEALS_WITHDRAWN, _platform_event(_withdrawn(after.payload.appeal.appeal_id, now))
    )
    for event in (before, after):
        appeal = await _wait_status(client, event.payload.appeal.appeal_id, "withdrawn")
        assert appeal["withdrawn_at"] is not None
    agency = (await _wait_routed(client, after.payload.appeal.appeal_id))["agency_id"]
    assert str(after.payload.appeal.appeal_id) in await _queue(client, agency, "withdrawn")
    assert str(after.payload.appeal.appeal_id) not in await _queue(client, agency)


async def test_an_operator_moves_a_triaged_appeal_and_the_correction_is_published(
    infra, client
) -> None:
    event = _classified("ну сделайте уже что-нибудь с Лежневской", "other", confidence=0.3)
    appeal_id = event.payload.appeal.appeal_id
    await _publish(event)
    assert (await _wait_routed(client, appeal_id))["agency_id"] == "cur-ivanovo"
    key = str(appeal_id)
    async with (
        TopicReader(infra.kafka_bootstrap_servers, APPEALS_ROUTED) as routed,
        TopicReader(infra.kafka_bootstrap_servers, CLASSIFICATION_CORRECTIONS) as corrections,
    ):
        response = await _act(
            client,
            appeal_id,
            "reassign",
            {
                "agency_id": "ivanovo-roads",
                "topic": "roads.repair",
                "topic_name": "Дороги",
                "comment": "яма на дороге",
            },
        )
        assert response.status_code == 200, response.text
        # The first routing's event may still be on its way when the reader starts: the
        # move is the one with routing 1.
        [moved] = await routed.wait_for(
            lambda r: (
                json.loads(r.value)["payload"]["appeal_id"] == key
                and json.loads(r.value)["payload"]["routing"] == 1
            )
        )
        [corrected] = await corrections.wait_for(
            lambda r: json.loads(r.value)["payload"]["appeal_id"] == key
        )
    appeal = response.json()
    assert (appeal["agency_id"], appeal["topic"], appeal["topic_name"], appeal["routing"]) == (
        "ivanovo-roads",
        "roads.repair",
        "Дороги",
        1,
    )
    routing = json.loads(moved.value)["payload"]
    assert (routing["agency_id"], routing["topic"], routing["routing"]) == (
        "ivanovo-roads",
        "roads.repair",
        1,
    )
    label = json.loads(corrected.value)["payload"]
    assert (label["topic_before"], label["topic_after"], label["agency_before"]) == (
        "other",
        "roads.repair",
        "cur-ivanovo",
    )
    assert label["text"] == event.payload.appeal.text
    assert key in await _queue(client, "ivanovo-roads")
    assert key not in await _queue(client, "cur-ivanovo")


async def test_a_reassignment_that_cannot_be_done_is_refused_with_the_reason(client) -> None:
    event = _classified("Яма у дома 7", "roads.repair")
    appeal_id = event.payload.appeal.appeal_id
    await _publish(event)
    await _wait_routed(client, appeal_id)
    unknown = await _act(client, appeal_id, "reassign", {"agency_id": "no-such-agency"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "no such agency in the directory"
    same = await _act(client, appeal_id, "reassign", {"agency_id": "ivanovo-roads"})
    assert same.status_code == 409
    await _act(client, appeal_id, "answer", {"text": "Заделаем до пятницы"})
    answered = await _act(client, appeal_id, "reassign", {"agency_id": "cur-ivanovo"})
    assert (answered.status_code, answered.json()["detail"]["message"]) == (
        409,
        "the appeal is already answered",
    )
    missing = await _act(client, uuid.uuid4(), "reassign", {"agency_id": "x"})
    assert missing.status_code == 404
    extra = await _act(
        client, appeal_id, "reassign", {"agency_id": "cur-ivanovo", "operator": "me"}
    )
    assert extra.status_code == 422


async def test_a_restored_appeal_goes_back_to_its_queue(infra, client) -> None:
    event = _classified("Не горит фонарь у дома 9", "improvement.lighting")
    appeal_id = event.payload.appeal.appeal_id
    await _publish(event)
    await _wait_routed(client, appeal_id)
    deleted_at = datetime.now(UTC)
    deletion = _platform_event(_withdrawn(appeal_id, deleted_at))
    await _publish_to(APPEALS_WITHDRAWN, deletion)
    await _wait_status(client, appeal_id, "withdrawn")
    restore = _edit(event, 5_000, event.payload.appeal.text, deleted_at + timedelta(minutes=1))
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_ROUTED) as routed:
        await _publish(restore)
        await _wait_status(client, appeal_id, "routed")
        [again] = await routed.wait_for(
            lambda r: json.loads(r.value)["payload"]["appeal_id"] == str(appeal_id)
        )
    assert json.loads(again.value)["payload"]["routing"] == 1
    # The deletion delivered again, late: the restore is newer and stands.
    await handle_appeal_withdrawn(deletion, app.state.service.deps)
    assert (await _wait_routed(client, appeal_id))["status"] == "routed"


async def test_a_restore_seen_before_its_deletion_stands(client) -> None:
    event = _classified("Не вывозят мусор во дворе", "housing.waste")
    appeal_id = event.payload.appeal.appeal_id
    await _publish(event)
    await _wait_routed(client, appeal_id)
    deleted_at = datetime.now(UTC)
    deps = app.state.service.deps
    restore = _edit(event, 5_000, event.payload.appeal.text, deleted_at + timedelta(minutes=1))
    await handle_appeal_classified(restore, deps)
    await handle_appeal_withdrawn(_platform_event(_withdrawn(appeal_id, deleted_at)), deps)
    assert (await _wait_routed(client, appeal_id))["status"] == "routed"
    # A deletion after the restore withdraws it again.
    later = _platform_event(_withdrawn(appeal_id, deleted_at + timedelta(minutes=2)))
    await handle_appeal_withdrawn(later, deps)
    assert (await _wait_routed(client, appeal_id))["status"] == "withdrawn"
