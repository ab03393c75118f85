"""An answer's way back to the platform as the router keeps it: requested with the answer,
moved on by the worker's reports, decided on by operators, and shown only to those who see
the appeal."""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from router_support import act, caller, routed_appeal, router_app

from appeals_common.events import (
    AnswerDelivered,
    AnswerFailed,
    AnswerRequested,
    DeliveryFailure,
    Platform,
    decode_event,
    new_envelope,
)
from appeals_common.testing import TopicReader
from appeals_common.topics import ANSWERS_REQUESTED
from router.delivery_reports import handle_answer_delivered, handle_answer_failed
from router.main import app

pytestmark = pytest.mark.integration
AGENCY = "ivanovo-roads"


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


async def _answered(identity, text: str = "Яму заделаем до пятницы.") -> tuple[uuid.UUID, dict]:  # type: ignore[no-untyped-def]
    appeal_id = await routed_appeal(AGENCY)
    async with caller(identity.headers("roads-staff")) as staff:
        assert (await act(staff, appeal_id, "answer", {"text": text})).status_code == 201
        card = (await staff.get(f"/v1/appeals/{appeal_id}")).json()
    [delivery] = card["answers"][0]["deliveries"]
    return appeal_id, delivery


def _report(delivery: dict, *, delivered: bool, round_: int = 0):  # type: ignore[no-untyped-def]
    common = {
        "delivery_id": delivery["delivery_id"],
        "appeal_id": delivery["appeal_id"],
        "response_id": delivery["response_id"],
        "platform": Platform.VK,
        "round": round_,
    }
    now = datetime.now(UTC)
    if delivered:
        payload = AnswerDelivered(
            **common,
            reply_id="wall-1_2/300",
            reply_url="https://vk.com/wall-1_2?reply=300",
            delivered_at=now,
        )
        return handle_answer_delivered, new_envelope(payload, source="t", correlation_id="c")
    failed = AnswerFailed(
        **common, reason=DeliveryFailure.BLOCKED_BY_USER, detail="VK error 901", failed_at=now
    )
    return handle_answer_failed, new_envelope(failed, source="t", correlation_id="c")


async def _deliver(delivery: dict, **kw) -> None:  # type: ignore[no-untyped-def]
    handler, event = _report(delivery, **kw)
    await handler(event, app.state.service.deps)


async def test_an_answer_asks_the_platform_edge_to_post_it(running, infra, identity) -> None:  # type: ignore[no-untyped-def]
    async with TopicReader(infra.kafka_bootstrap_servers, ANSWERS_REQUESTED) as reader:
        appeal_id, delivery = await _answered(identity)
        [record] = await reader.wait_for(lambda r: r.key == str(appeal_id).encode())
    request = decode_event(record.value, AnswerRequested).payload
    assert (request.text, request.round, request.platform) == ("Яму заделаем до пятницы.", 0, "vk")
    assert str(request.delivery_id) == delivery["delivery_id"] and delivery["state"] == "pending"
    assert request.author_platform_id == "111" and request.page_id == "vk-adm-ivanovo"


async def test_reports_show_on_the_card_and_a_stale_failure_changes_nothing(
    running, identity
) -> None:  # type: ignore[no-untyped-def]
    appeal_id, delivery = await _answered(identity)
    await _deliver(delivery, delivered=True)
    await _deliver(delivery, delivered=False)  # an older failure arriving late
    async with caller(identity.headers("cur-operator")) as operator:
        card = (await operator.get(f"/v1/appeals/{appeal_id}")).json()
    [shown] = card["answers"][0]["deliveries"]
    assert (
        shown["state"] == "delivered" and shown["reply_url"] == "https://vk.com/wall-1_2?reply=300"
    )


async def test_an_operator_retries_a_failed_delivery_in_a_new_round(
    running, infra, identity
) -> None:  # type: ignore[no-untyped-def]
    appeal_id, delivery = await _answered(identity)
    await _deliver(delivery, delivered=False)
    url = f"/v1/appeals/{appeal_id}/deliveries/{delivery['delivery_id']}"
    async with caller(identity.headers("roads-staff")) as staff:
        async with TopicReader(infra.kafka_bootstrap_servers, ANSWERS_REQUESTED) as reader:
            retried = await staff.post(f"{url}/retry")
            assert retried.status_code == 200, retried.text
            assert (retried.json()["state"], retried.json()["round"]) == ("pending", 1)
            [record] = await reader.wait_for(lambda r: r.key == str(appeal_id).encode())
        assert decode_event(record.value, AnswerRequested).payload.round == 1
        again = await staff.post(f"{url}/retry")  # a double click: not failed any more
        assert again.status_code == 409
        history = (await staff.get(f"/v1/appeals/{appeal_id}")).json()["history"]
    assert [h["action"] for h in history][-1] == "delivery_retry"


async def test_marking_a_failed_delivery_done_another_way_is_kept(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id, delivery = await _answered(identity)
    await _deliver(delivery, delivered=False)
    url = f"/v1/appeals/{appeal_id}/deliveries/{delivery['delivery_id']}/mark-delivered"
    async with caller(identity.headers("cur-operator")) as operator:
        marked = await operator.post(url, json={"comment": "Дозвонились заявителю"})
        assert marked.status_code == 200 and marked.json()["state"] == "manual"
        assert marked.json()["decided_by"]
        await _deliver(delivery, delivered=False, round_=0)
        card = (await operator.get(f"/v1/appeals/{appeal_id}")).json()
    assert card["answers"][0]["deliveries"][0]["state"] == "manual"
    assert json.loads(card["history"][-1]["detail"])["comment"] == "Дозвонились заявителю"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ({"roles": ("governor_office",)}, 403),  # sees the appeal, may not decide
        ({"roles": ("agency_staff",), "agencies": ("ivanovo-zhkh",)}, 404),  # another agency
        ({"roles": ("admin",)}, 404),  # reads no appeals at all
    ],
)
async def test_only_those_who_work_the_appeal_decide_on_its_delivery(
    running, identity, who, status
) -> None:  # type: ignore[no-untyped-def]
    appeal_id, delivery = await _answered(identity)
    await _deliver(delivery, delivered=False)
    url = f"/v1/appeals/{appeal_id}/deliveries/{delivery['delivery_id']}"
    async with caller(identity.headers(**who)) as other:
        assert (await other.post(f"{url}/retry")).status_code == status
        assert (await other.post(f"{url}/mark-delivered", json={})).status_code == status
    async with caller({}) as anonymous:
        assert (await anonymous.post(f"{url}/retry")).status_code == 401
    async with caller(identity.headers("cur-operator")) as operator:
        card = (await operator.get(f"/v1/appeals/{appeal_id}")).json()
    assert card["answers"][0]["deliveries"][0]["state"] == "failed"  # nobody changed it


async def test_a_delivery_of_another_appeal_is_not_found(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id, delivery = await _answered(identity)
    other_appeal, _ = await _answered(identity)
    await _deliver(delivery, delivered=False)
    async with caller(identity.headers("cur-operator")) as operator:
        wrong = f"/v1/appeals/{other_appeal}/deliveries/{delivery['delivery_id']}/retry"
        assert (await operator.post(wrong)).status_code == 404
        unknown = f"/v1/appeals/{appeal_id}/deliveries/{uuid.uuid4()}/retry"
        assert (await operator.post(unknown)).status_code == 404
