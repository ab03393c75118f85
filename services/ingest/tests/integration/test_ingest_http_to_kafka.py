"""Ingest over HTTP into the real broker: what is acknowledged is on the topic, and only that."""

import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_RECEIVED
from ingest.main import app

pytestmark = pytest.mark.integration

VK_GROUP, VK_SECRET = 220001, "demo-vk-secret-ivanovo"
SITE_KEY = {"Authorization": "Bearer demo-only-api-key-site-ivanovo-5f0c2a9e7b41"}


@pytest.fixture
async def client(infra) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as c:
            yield c


@pytest.fixture
async def received(infra) -> AsyncIterator[TopicReader]:  # type: ignore[no-untyped-def]
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_RECEIVED) as reader:
        yield reader


def _appeal_id(record) -> str:  # type: ignore[no-untyped-def]
    return str(json.loads(record.value)["payload"]["appeal_id"])


def _wall_reply(
    comment_id: int, *, secret: str = VK_SECRET, group: int = VK_GROUP
) -> dict[str, object]:
    return {
        "type": "wall_reply_new",
        "event_id": uuid.uuid4().hex,
        "v": "5.199",
        "group_id": group,
        "secret": secret,
        "object": {
            "id": comment_id,
            "from_id": 111111,
            "post_id": 3,
            "owner_id": -group,
            "post_owner_id": -group,
            "date": int(time.time()),
            "text": "Когда отремонтируют дорогу на [id1|ул. Ленина]? &quot;ямы&quot;",
        },
    }


async def test_generic_appeal_is_on_the_topic_when_accepted(client, received) -> None:
    body = {
        "page_id": "site-ivanovo",
        "external_id": uuid.uuid4().hex,
        "author_id": "citizen-1",
        "text": "Не вывозят мусор  третий день",
        "written_at": datetime.now(UTC).isoformat(),
    }
    response = await client.post("/v1/appeals", json=body, headers=SITE_KEY)
    assert response.status_code == 202
    appeal_id = response.json()["appeal_id"]
    [record] = await received.wait_for(lambda r: _appeal_id(r) == appeal_id)
    event = json.loads(record.value)
    assert event["type"] == "appeal.received"
    assert event["payload"]["text"] == "Не вывозят мусор третий день"
    assert event["payload"]["author"]["key"] != "citizen-1"
    assert record.key == appeal_id.encode()


async def test_vk_comment_is_normalised_onto_the_topic(client, received) -> None:
    response = await client.post("/callbacks/vk", json=_wall_reply(4242))
    assert (response.status_code, response.text) == (200, "ok")
    [record] = await received.wait_for(
        lambda r: json.loads(r.value)["payload"]["external_id"] == f"wall-{VK_GROUP}_3/4242"
    )
    payload = json.loads(record.value)["payload"]
    assert payload["platform"] == "vk"
    assert payload["kind"] == "comment"
    assert payload["text"] == 'Когда отремонтируют дорогу на ул. Ленина? "ямы"'
    assert payload["permalink"] == f"https://vk.com/wall-{VK_GROUP}_3?reply=4242"


async def test_vk_confirmation_returns_the_page_string(client) -> None:
    response = await client.post(
        "/callbacks/vk", json={"type": "confirmation", "group_id": VK_GROUP, "secret": VK_SECRET}
    )
    assert (response.status_code, response.text) == (200, "3f9a1c2e")


REFUSED_ID = 7_000_000 + uuid.uuid4().int % 1_000_000  # unique on a broker others share


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (_wall_reply(REFUSED_ID, secret="wrong"), 403, "bad secret"),
        (_wall_reply(REFUSED_ID + 1, group=999999), 403, "not registered"),
        (
            {
                "type": "wall_reply_new",
                "group_id": VK_GROUP,
                "secret": VK_SECRET,
                "object": {"id": "x"},
            },
            400,
            "wall_reply_new",
        ),
    ],
)
async def test_rejected_callbacks_publish_nothing(client, received, body, status, message) -> None:
    response = await client.post("/callbacks/vk", json=body)
    assert response.status_code == status
    assert message in response.json()["detail"]
    # Other sessions publish to the same topic: look for this test's objects only.
    ours = {f"wall-{VK_GROUP}_3/{REFUSED_ID}", f"wall-999999_3/{REFUSED_ID + 1}"}
    drained = await received.drain(1.0)
    assert [r for r in drained if json.loads(r.value)["payload"].get("external_id") in ours] == []


async def test_malformed_json_is_a_400(client) -> None:
    response = await client.post("/callbacks/vk", content=b'{"type": "wall_reply_new", ')
    assert response.status_code == 400
    assert "not a VK callback" in response.json()["detail"]


async def test_unknown_generic_page_is_refused(client, received) -> None:
    body = {
        "page_id": "nowhere",
        "external_id": "1",
        "author_id": "a",
        "text": "текст",
        "written_at": datetime.now(UTC).isoformat(),
    }
    response = await client.post("/v1/appeals", json=body, headers=SITE_KEY)
    assert response.status_code == 403
    drained = await received.drain(1.0)
    assert [r for r in drained if json.loads(r.value)["payload"].get("page_id") == "nowhere"] == []


async def test_readiness_reports_kafka(client) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == ["kafka", "loops"]
