"""The VK endpoint over HTTP with a fake publisher: every fixture lands on its topic, once."""

import json
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vk"
GROUP, SECRET = 220001, "demo-vk-secret-ivanovo"  # the shipped registry's first community

RECEIVED, WITHDRAWN, ANSWERED = "appeals.received.v1", "appeals.withdrawn.v1", "appeals.answered.v1"
TOPIC_OF = {
    "wall_reply_new_by_page": ANSWERED,
    "message_reply": ANSWERED,
    "wall_post_new_own": None,
    "group_join": None,
}


def callback(name: str) -> dict[str, Any]:
    """A fixture addressed to the shipped registry's community (its own ids stay as they are)."""
    body: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    if (
        body["type"] in {"wall_reply_new", "message_reply"}
        and (body["object"] or {}).get("from_id", 0) < 0
    ):
        body["object"]["from_id"] = -GROUP
    return {**body, "group_id": GROUP, "secret": SECRET}


def expected_topic(name: str) -> str | None:
    if name in TOPIC_OF:
        return TOPIC_OF[name]
    return WITHDRAWN if name.endswith("_delete") else RECEIVED


NAMES = sorted(p.stem for p in FIXTURES.glob("*.json") if p.stem != "confirmation")


@pytest.mark.parametrize("name", NAMES)
async def test_every_fixture_is_acknowledged_after_it_is_on_its_topic(
    client, publisher, name: str
) -> None:
    response = await client.post("/callbacks/vk", json=callback(name))

    assert (response.status_code, response.text) == (200, "ok")
    topic = expected_topic(name)
    assert publisher.topics == ([topic] if topic else [])
    assert publisher.keys == [str(event.payload.appeal_id) for _, event in publisher.published]


async def test_a_retry_of_an_edit_publishes_the_same_event_id(client, publisher) -> None:
    body = callback("wall_reply_edit")
    await client.post("/callbacks/vk", json=body)
    await client.post("/callbacks/vk", json=body, headers={"X-Retry-Counter": "1"})

    first, retry = (event for _, event in publisher.published)
    assert first.id == retry.id
    assert first.payload.revision > 0


async def test_a_withdrawal_is_not_acknowledged_while_kafka_is_down(client, publisher) -> None:
    publisher.down = True

    response = await client.post("/callbacks/vk", json=callback("wall_reply_delete"))

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.text != "ok"


def _count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_other_types_are_counted_under_a_fixed_label(client, publisher) -> None:
    before = _count("ingest_callbacks_ignored_total", platform="vk", type="other")

    response = await client.post(
        "/callbacks/vk", json={**callback("group_join"), "type": "made_up_" + "x" * 50}
    )

    assert (response.status_code, response.text) == (200, "ok")
    assert _count("ingest_callbacks_ignored_total", platform="vk", type="other") == before + 1
    assert publisher.published == []


async def test_an_unknown_community_is_refused_and_counted(client, publisher) -> None:
    before = _count("ingest_callbacks_rejected_total", platform="vk", reason="unknown_page")

    response = await client.post(
        "/callbacks/vk", json={**callback("wall_reply_new"), "group_id": 9}
    )

    assert response.status_code == 403
    assert _count("ingest_callbacks_rejected_total", platform="vk", reason="unknown_page") == (
        before + 1
    )
    assert publisher.published == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": 4102444800}, "date: Value error, timestamp is not between 2006 and now"),
        ({"text": {"a": 1}}, "text: Input should be a valid string"),
        ({"post_id": None}, "post_id: an integer is required"),
    ],
)
async def test_bad_objects_are_a_400_that_says_what_is_wrong(
    client, publisher, changes: dict[str, Any], message: str
) -> None:
    body = callback("wall_reply_new")
    body["object"].update(changes)

    response = await client.post("/callbacks/vk", json=body)

    assert response.status_code == 400
    assert response.json()["detail"] == f"wall_reply_new: {message}"
    assert publisher.published == []


async def test_the_error_does_not_echo_the_residents_text(client) -> None:
    body = callback("wall_reply_new")
    body["object"]["text"] = ["Иванов Иван, тел. 8-900-000-00-00"]

    response = await client.post("/callbacks/vk", json=body)

    assert response.status_code == 400
    assert "Иванов" not in response.text
