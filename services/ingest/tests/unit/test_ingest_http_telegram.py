"""The Telegram webhook over HTTP with a fake publisher: the secret header, the page in the
path, what is published, and the 4xx/503 answers."""

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
URL = "/callbacks/telegram/tg-adm-ivanovo"
SECRET = {"X-Telegram-Bot-Api-Secret-Token": "demo-tg-secret-ivanovo"}
PUBLISHED = {
    "private_message": "appeals.received.v1",
    "private_message_edited": "appeals.received.v1",
    "private_photo_with_location": "appeals.received.v1",
    "comment": "appeals.received.v1",
    "comment_edited": "appeals.received.v1",
    "comment_reply": "appeals.received.v1",
    "comment_as_channel": "appeals.received.v1",
    "page_reply_as_channel": "appeals.answered.v1",
    "page_reply_by_bot": "appeals.answered.v1",
    "page_reply_anonymous_admin": "appeals.answered.v1",
}


def update(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.json")))
async def test_every_fixture_is_answered_200_after_it_is_on_its_topic(
    client, publisher, name: str
) -> None:
    response = await client.post(URL, json=update(name), headers=SECRET)

    assert (response.status_code, response.text) == (200, "")
    assert publisher.topics == ([PUBLISHED[name]] if name in PUBLISHED else [])


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {"X-Telegram-Bot-Api-Secret-Token": ""}],
    ids=["missing", "wrong", "empty"],
)
async def test_a_missing_or_wrong_secret_is_a_401_and_nothing_is_published(
    client, publisher, headers: dict[str, str]
) -> None:
    response = await client.post(URL, json=update("private_message"), headers=headers)

    assert response.status_code == 401
    assert publisher.published == []


async def test_a_non_ascii_secret_is_a_401_not_a_500(client, publisher) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "секрет".encode()}

    response = await client.post(URL, json=update("private_message"), headers=headers)

    assert response.status_code == 401


async def test_the_secret_of_another_page_does_not_open_this_one(client, publisher) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "demo-max-secret-ivanovo"}

    response = await client.post(URL, json=update("private_message"), headers=headers)

    assert response.status_code == 401


@pytest.mark.parametrize("page", ["nowhere", "vk-adm-ivanovo", "x" * 129])
async def test_an_unknown_or_non_telegram_page_is_refused(client, publisher, page: str) -> None:
    response = await client.post(
        f"/callbacks/telegram/{page}", json=update("private_message"), headers=SECRET
    )

    assert response.status_code in {403, 422}
    assert publisher.published == []


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b'{"update_id": 1, ', "not a Telegram update: "),
        (b"\xff\xfe", "not a Telegram update: "),
        (b"[]", "not a Telegram update: body: "),
        (b'{"update_id": 1, "message": {"message_id": 1, "date": 99, "chat": {}}}', "date"),
    ],
)
async def test_malformed_bodies_are_a_400(client, publisher, content: bytes, detail: str) -> None:
    response = await client.post(URL, content=content, headers=SECRET)

    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert publisher.published == []


async def test_kafka_down_is_a_503_so_telegram_retries(client, publisher) -> None:
    publisher.down = True

    response = await client.post(URL, json=update("comment"), headers=SECRET)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


async def test_a_text_over_the_limit_is_a_400(client, publisher) -> None:
    body = update("private_message")
    body["message"]["text"] = "я" * 50_001

    response = await client.post(URL, json=body, headers=SECRET)

    assert response.status_code == 400
    assert "message.text: String should have at most 50000 characters" in response.text
