"""OK group chat webhooks (fixtures from the apiok.ru examples): the parser and the endpoint,
which finds the page by the token in its URL."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from appeals_common.events import AppealKind, AppealReceived, Attachment, Platform
from ingest.domain import ok
from ingest.domain.normalise import appeal_id
from ingest.domain.outcomes import Emit, Ignored, Outcome
from ingest.domain.pages import Page, PageRegistry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ok"
TOKEN = "t" * 40
PAGE = Page("ok-test", Platform.OK, "70000000000001", "adm-test", "Группа ОК", url_token=TOKEN)
URL = "/callbacks/ok/demo-ok-url-token-ivanovo-3b1f0c9e7d"
RECEIVED_AT = datetime(2024, 7, 2, 6, 30, tzinfo=UTC)


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def outcome(body: dict[str, Any]) -> Outcome:
    return ok.to_outcome(ok.parse_update(body), PAGE, salt="s", received_at=RECEIVED_AT)


def test_a_message_without_a_webhook_type_is_a_private_appeal_keyed_by_mid() -> None:
    result = outcome(fixture("message"))
    assert isinstance(result, Emit)
    appeal = result.payload
    assert isinstance(appeal, AppealReceived)

    mid = "mid:C3ecb9d02a600.15cea67d78d2059"
    assert appeal.appeal_id == appeal_id(
        Platform.OK, "70000000000001", AppealKind.PRIVATE_MESSAGE, mid
    )
    assert result.event_id == uuid.uuid5(appeal.appeal_id, "received")
    assert appeal.text == "Добрый день, вопрос по вывозу мусора"
    assert appeal.author.platform_id == "user:123456789012"
    assert appeal.written_at == datetime(2024, 7, 2, 6, 0, 0, 941000, tzinfo=UTC)
    assert appeal.attachments == (Attachment(type="share", url="https://example.org/"),)


def test_a_typed_message_with_only_an_image_is_an_appeal() -> None:
    result = outcome(fixture("message_created_typed"))
    assert isinstance(result, Emit)
    assert isinstance(result.payload, AppealReceived)

    assert result.payload.attachments == (
        Attachment(type="image", url="https://i.mycdn.me/i?r=AAA"),
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("message_callback", "webhook message_callback is not processed"),
        ("chat_system", "webhook chat_system is not processed"),
    ],
)
def test_other_webhooks_are_only_acknowledged(name: str, reason: str) -> None:
    assert outcome(fixture(name)) == Ignored(reason)


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"timestamp": 1719900000}, "timestamp"),
        ({"sender": {"user_id": None}}, "sender.user_id"),
        ({"message": {"mid": "m", "seq": 9.8e16}}, "message.seq"),
        ({"message": {"text": "без mid"}}, "message.mid"),
    ],
)
def test_malformed_bodies_are_payload_errors(changes: dict[str, Any], where: str) -> None:
    with pytest.raises(ok.OkPayloadError, match=f"^{where}"):
        ok.parse_update({**fixture("message"), **changes})


def test_a_new_message_without_a_sender_is_a_payload_error() -> None:
    body = {k: v for k, v in fixture("message").items() if k != "sender"}

    with pytest.raises(ok.OkPayloadError, match="sender"):
        outcome(body)


def test_the_registry_finds_the_page_only_by_its_exact_token_and_platform() -> None:
    registry = PageRegistry([PAGE])

    assert registry.find_by_url_token(Platform.OK, TOKEN) is PAGE
    assert registry.find_by_url_token(Platform.OK, TOKEN[:-1]) is None
    assert registry.find_by_url_token(Platform.OK, "секрет") is None
    assert registry.find_by_url_token(Platform.MAX, TOKEN) is None
    assert "t" * 40 not in repr(PAGE)


@pytest.mark.parametrize(
    ("name", "topics"),
    [
        ("message", ["appeals.received.v1"]),
        ("message_created_typed", ["appeals.received.v1"]),
        ("message_callback", []),
        ("chat_system", []),
    ],
)
async def test_the_endpoint_answers_200_after_publishing(
    client, publisher, name: str, topics: list[str]
) -> None:
    response = await client.post(URL, json=fixture(name))

    assert (response.status_code, response.text) == (200, "ok")
    assert publisher.topics == topics


@pytest.mark.parametrize("token", ["wrong", "demo-ok-url-token-ivanovo-3b1f0c9e7", "x" * 257])
async def test_an_unknown_token_is_refused_and_nothing_published(
    client, publisher, token: str
) -> None:
    response = await client.post(f"/callbacks/ok/{token}", json=fixture("message"))

    assert response.status_code in {403, 422}
    assert publisher.published == []


async def test_a_bad_body_is_a_400_and_kafka_down_a_503(client, publisher) -> None:
    assert (await client.post(URL, content=b"{")).status_code == 400
    assert (await client.post(URL, json={"timestamp": "now"})).status_code == 400
    publisher.down = True
    response = await client.post(URL, json=fixture("message"))
    assert (response.status_code, response.headers["Retry-After"]) == (503, "30")
