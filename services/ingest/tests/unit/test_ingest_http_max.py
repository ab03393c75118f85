"""The MAX webhook over HTTP with a fake publisher: the secret header, the page in the path,
what is published, and the 4xx/503 answers."""

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "max"
URL = "/callbacks/max/max-adm-ivanovo"
SECRET = {"X-Max-Bot-Api-Secret": "demo-max-secret-ivanovo"}
PUBLISHED = {
    "message_created_dialog": "appeals.received.v1",
    "message_created_chat_reply": "appeals.received.v1",
    "message_created_with_attachments": "appeals.received.v1",
    "message_edited_dialog": "appeals.received.v1",
    "message_removed": "appeals.withdrawn.v1",
    "message_created_page_reply": "appeals.answered.v1",
}


def update(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.json")))
async def test_every_fixture_is_answered_200_after_it_is_on_its_topic(
    client, publisher, name: str
) -> None:
    response = await client.post(URL, json=update(name), headers=SECRET)

    assert (response.status_code, response.text) == (200, "ok")
    assert publisher.topics == ([PUBLISHED[name]] if name in PUBLISHED else [])


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Max-Bot-Api-Secret": "wrong"},
        {"X-Max-Bot-Api-Secret": "demo-tg-secret-ivanovo"},
        {"X-Telegram-Bot-Api-Secret-Token": "demo-max-secret-ivanovo"},
    ],
    ids=["missing", "wrong", "another-pages", "wrong-header"],
)
async def test_without_the_pages_secret_it_is_a_401_and_nothing_is_published(
    client, publisher, headers: dict[str, str]
) -> None:
    response = await client.post(URL, json=update("message_created_dialog"), headers=headers)

    assert response.status_code == 401
    assert publisher.published == []


@pytest.mark.parametrize("page", ["nowhere", "tg-adm-ivanovo"])
async def test_an_unknown_or_non_max_page_is_a_403(client, publisher, page: str) -> None:
    response = await client.post(
        f"/callbacks/max/{page}", json=update("message_created_dialog"), headers=SECRET
    )

    assert response.status_code == 403
    assert publisher.published == []


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"{", "not a MAX update: "),
        (b'"message_created"', "not a MAX update: body: "),
        (b'{"update_type": "message_created", "timestamp": 1.5}', "timestamp"),
        (b'{"update_type": "message_removed", "timestamp": 1775053655800}', "message_id"),
    ],
)
async def test_malformed_updates_are_a_400(client, publisher, content: bytes, detail: str) -> None:
    response = await client.post(URL, content=content, headers=SECRET)

    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert publisher.published == []


async def test_a_float_seq_is_a_400_rather_than_a_silently_wrong_number(client, publisher) -> None:
    raw = json.dumps(update("message_created_dialog")).replace(
        "116327994376978687", "1.1632799437697869e17"
    )

    response = await client.post(URL, content=raw.encode(), headers=SECRET)

    assert response.status_code == 400
    assert "message.body.seq" in response.json()["detail"]


async def test_kafka_down_is_a_503(client, publisher) -> None:
    publisher.down = True

    response = await client.post(URL, json=update("message_removed"), headers=SECRET)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
