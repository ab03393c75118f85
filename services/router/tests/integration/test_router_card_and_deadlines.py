"""What the card and the queue know beyond the routing: every revision of the text, the places
named, and the SLA monitor's deadline and breach, by which the queue sorts and filters."""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from router_support import act, caller, routed_appeal, router_app

from appeals_common.events import SlaBreached, SlaDeadlineSet, SlaStepFired, new_envelope
from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_ANSWERED
from router.deadlines import handle_breached, handle_deadline_set, handle_step_fired
from router.main import app

pytestmark = pytest.mark.integration
AGENCY = "ivanovo-roads"
INTERIM = "Приняли в работу, проверим до пятницы"


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


async def _deadline(appeal_id: uuid.UUID, due: datetime) -> None:
    payload = SlaDeadlineSet(appeal_id=appeal_id, agency_id=AGENCY, deadline=due, target_seconds=1)
    event = new_envelope(payload, source="test", correlation_id=str(appeal_id))
    await handle_deadline_set(event, app.state.service.deps)


async def test_the_queue_puts_the_soonest_deadline_first_and_filters_by_it(
    running, identity
) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    late, soon, overdue = [await routed_appeal(AGENCY) for _ in range(3)]
    await _deadline(late, now + timedelta(hours=3))
    await _deadline(soon, now + timedelta(minutes=20))
    await _deadline(overdue, now - timedelta(minutes=5))
    await _deadline(overdue, now - timedelta(minutes=5))  # a redelivery changes nothing
    mine = {str(late), str(soon), str(overdue)}
    async with caller(identity.headers("cur-operator")) as client:
        # Small pages: the keyset must carry the deadline across page boundaries.
        order = await _all(client, {"agency_id": AGENCY, "limit": 7})
        assert [i for i in order if i in mine] == [str(overdue), str(soon), str(late)]
        assert len(order) == len(set(order))  # no appeal twice across pages
        for due, expected in (("overdue", overdue), ("due_soon", soon), ("on_time", late)):
            found = set(await _all(client, {"agency_id": AGENCY, "due": due, "limit": 200}))
            assert found & mine == {str(expected)}


async def _all(client, params: dict[str, object]) -> list[str]:  # type: ignore[no-untyped-def]
    """Every appeal id of a listing, page by page."""
    ids: list[str] = []
    cursor = None
    while True:
        page = (
            await client.get("/v1/appeals", params=params | ({"cursor": cursor} if cursor else {}))
        ).json()
        ids += [i["appeal_id"] for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            return ids


async def test_a_breach_is_shown_once_on_the_appeal(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id, first = await routed_appeal(AGENCY), datetime.now(UTC)
    for detected in (first, first + timedelta(minutes=1)):
        breach = SlaBreached(
            appeal_id=appeal_id,
            agency_id=AGENCY,
            deadline=first - timedelta(minutes=1),
            detected_at=detected,
            target_seconds=60,
        )
        event = new_envelope(breach, source="test", correlation_id=str(appeal_id))
        await handle_breached(event, app.state.service.deps)
    async with caller(identity.headers("cur-operator")) as client:
        card = (await client.get(f"/v1/appeals/{appeal_id}")).json()
    assert datetime.fromisoformat(card["appeal"]["breached_at"]) == first


async def test_the_latest_sla_step_is_the_queues_badge(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id, now = await routed_appeal(AGENCY), datetime.now(UTC)
    for step, at in (
        ("warning-80", now),
        ("escalation-1", now + timedelta(hours=2)),
        ("breach", now + timedelta(hours=1)),
    ):  # the breach's event comes late
        fired = SlaStepFired(
            appeal_id=appeal_id, agency_id=AGENCY, step=step, target="first_response",
            share=1.0, recipient="head", policy_id="standard", policy_version=1,
            due_at=at, fired_at=at,
        )  # fmt: skip
        event = new_envelope(fired, source="test", correlation_id=str(appeal_id))
        await handle_step_fired(event, app.state.service.deps)
    async with caller(identity.headers("cur-operator")) as client:
        card = (await client.get(f"/v1/appeals/{appeal_id}")).json()

    assert card["appeal"]["sla_step"] == "escalation-1"  # the latest, not the last to arrive


async def test_the_card_keeps_every_revision_of_the_text(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id = await routed_appeal(AGENCY, "Яма на ул. Ленина")
    edited = datetime.now(UTC)
    await routed_appeal(
        AGENCY,
        "Яма на ул. Ленина у дома 5, глубокая",
        appeal_id=appeal_id,
        revision=7,
        edited_at=edited,
    )
    async with caller(identity.headers("cur-operator")) as client:
        card = (await client.get(f"/v1/appeals/{appeal_id}")).json()
    assert [(r["revision"], r["text"]) for r in card["revisions"]] == [
        (0, "Яма на ул. Ленина"),
        (7, "Яма на ул. Ленина у дома 5, глубокая"),
    ]
    assert card["appeal"]["text"] == "Яма на ул. Ленина у дома 5, глубокая"
    assert card["appeal"]["body_id"] == "adm-ivanovo"
    assert card["appeal"]["classification_reason"] == "test"


async def test_an_interim_answer_is_the_first_response_and_the_appeal_stays_in_work(
    infra,
    running,
    identity,  # type: ignore[no-untyped-def]
) -> None:
    appeal_id = await routed_appeal(AGENCY)
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_ANSWERED) as answered:
        async with caller(identity.headers("cur-operator")) as client:
            claimed = await act(client, appeal_id, "claim")
            interim = await act(client, appeal_id, "answer", {"text": INTERIM, "interim": True})
            card = (await client.get(f"/v1/appeals/{appeal_id}")).json()
            final = await act(client, appeal_id, "answer", {"text": "Яму заделали"})
        await answered.wait_for(lambda r: _kind_of(r, appeal_id) == "final")

    assert claimed.status_code == 200 and interim.status_code == 201, interim.text
    assert card["appeal"]["status"] == "claimed"  # still in work, still held
    assert [a["kind"] for a in card["answers"]] == ["interim"]
    assert final.status_code == 201 and final.json()["status"] == "answered"
    kinds = [k for r in answered.seen if (k := _kind_of(r, appeal_id))]
    assert kinds == ["interim", "final"]


def _kind_of(record, appeal_id: uuid.UUID) -> str | None:  # type: ignore[no-untyped-def]
    payload = json.loads(record.value)["payload"]
    return payload["kind"] if payload["appeal_id"] == str(appeal_id) else None
