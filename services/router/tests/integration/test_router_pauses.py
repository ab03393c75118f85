"""Waiting for the resident, on the real service, database and broker: a pause and its end
are announced for the SLA clock; the resident's next private message answers the wait (a note
on the card, the appeal back in work, nothing new routed), once however often it arrives; a
new comment of the same resident on the page is a new appeal."""

import json
import uuid
from collections.abc import AsyncIterator

import pytest
from router_support import act, caller, classified_event, router_app

from appeals_common.events import AppealKind, AppealThread, Author
from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_PAUSES
from router.adapters.repository import get_assignment
from router.clarifications import handle_classified
from router.main import app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


def _message(text: str, author: str, *, kind: AppealKind = AppealKind.PRIVATE_MESSAGE,
             reply_to: str | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    event = classified_event(text, "roads.repair")
    appeal = event.payload.appeal.model_copy(update={
        "kind": kind, "author": Author(platform_id=author, key=f"k-{author}"),
        "thread": AppealThread(reply_to_id=reply_to) if reply_to else None,
    })  # fmt: skip
    return event.model_copy(update={"payload": event.payload.model_copy(update={"appeal": appeal})})


async def _row(appeal_id: uuid.UUID) -> dict[str, object]:
    async with app.state.service.deps.sessions() as session:
        row = await get_assignment(session, appeal_id)
    assert row is not None
    return row


async def test_a_pause_and_its_end_are_announced_for_the_sla_clock(
    infra, running, identity
) -> None:  # type: ignore[no-untyped-def]
    first = _message("Яма у дома", f"r{uuid.uuid4().hex[:8]}")
    await handle_classified(first, app.state.service.deps)
    appeal_id = first.payload.appeal.appeal_id
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_PAUSES) as pauses:
        async with caller(identity.headers("cur-operator")) as client:
            paused = await act(client, appeal_id, "pause", {"reason": "ждём номер дома"})
            again = await act(client, appeal_id, "pause", {"reason": "ещё раз"})
            resumed = await act(client, appeal_id, "resume")
        await pauses.wait_for(lambda r: _change(r, appeal_id) is False)

    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert again.status_code == 409
    assert resumed.status_code == 200 and resumed.json()["status"] == "routed"
    changes = [c for r in pauses.seen if (c := _change(r, appeal_id)) is not None]
    assert changes == [True, False]


async def test_the_residents_next_message_answers_the_wait(running, identity) -> None:  # type: ignore[no-untyped-def]
    resident = f"r{uuid.uuid4().hex[:8]}"
    first = _message("Яма у дома", resident)
    await handle_classified(first, app.state.service.deps)
    appeal_id = first.payload.appeal.appeal_id
    async with caller(identity.headers("cur-operator")) as client:
        await act(client, appeal_id, "pause", {"reason": "ждём номер дома"})
        answer = _message("Дом 15, второй подъезд", resident)
        await handle_classified(answer, app.state.service.deps)
        await handle_classified(answer, app.state.service.deps)  # delivered twice
        card = (await client.get(f"/v1/appeals/{appeal_id}")).json()
        not_routed = await client.get(f"/v1/appeals/{answer.payload.appeal.appeal_id}")

    assert card["appeal"]["status"] == "routed"
    assert [n["text"] for n in card["notes"]] == ["Уточнение от заявителя: Дом 15, второй подъезд"]
    assert not_routed.status_code == 404  # taken as the answer, not a new appeal


async def test_a_new_comment_of_the_same_resident_is_a_new_appeal(running, identity) -> None:  # type: ignore[no-untyped-def]
    resident = f"r{uuid.uuid4().hex[:8]}"
    first = _message("Яма у дома", resident, kind=AppealKind.COMMENT)
    await handle_classified(first, app.state.service.deps)
    appeal_id = first.payload.appeal.appeal_id
    async with caller(identity.headers("cur-operator")) as client:
        await act(client, appeal_id, "pause", {"reason": "ждём номер дома"})
    other = _message("А ещё фонарь не горит", resident, kind=AppealKind.COMMENT,
                     reply_to="some-other-thread")  # fmt: skip
    reply = _message("Дом 15", resident, kind=AppealKind.COMMENT,
                     reply_to=first.payload.appeal.external_id)  # fmt: skip

    await handle_classified(other, app.state.service.deps)
    assert (await _row(appeal_id))["status"] == "paused"
    assert (await _row(other.payload.appeal.appeal_id))["status"] == "routed"
    await handle_classified(reply, app.state.service.deps)
    assert (await _row(appeal_id))["status"] == "routed"


def _change(record, appeal_id: uuid.UUID) -> bool | None:  # type: ignore[no-untyped-def]
    payload = json.loads(record.value)["payload"]
    return bool(payload["paused"]) if payload["appeal_id"] == str(appeal_id) else None
