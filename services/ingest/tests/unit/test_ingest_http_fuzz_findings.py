"""What the property-based fuzzing found (each was a 500), kept as plain regression tests."""

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.domain.storable import has_unstorable_text, may_hold_unstorable_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TG_URL = "/callbacks/telegram/tg-adm-ivanovo"
TG_SECRET = {"X-Telegram-Bot-Api-Secret-Token": "demo-tg-secret-ivanovo"}
OK_URL = "/callbacks/ok/demo-ok-url-token-ivanovo-3b1f0c9e7d"
API_KEY = {"Authorization": "Bearer demo-only-api-key-site-ivanovo-5f0c2a9e7b41"}
JSON = {"Content-Type": "application/json"}


def fixture(path: str) -> str:
    return json.dumps(json.loads((FIXTURES / path).read_text(encoding="utf-8")))


def appeal(**changes: Any) -> dict[str, Any]:
    return {
        "page_id": "site-ivanovo",
        "external_id": "form-1",
        "author_id": "citizen-77",
        "text": "Не вывозят мусор",
        "written_at": "2026-01-10T09:15:00+03:00",
        **changes,
    }


async def test_a_lone_surrogate_in_an_ok_author_id_is_a_400(client, publisher) -> None:
    # Was a 500: the author key hashes the id's UTF-8 bytes, and there are none.
    body = fixture("ok/message.json").replace('"user:123456789012"', '"\\ud800"')

    response = await client.post(OK_URL, content=body.encode())

    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]
    assert publisher.published == []


async def test_a_lone_surrogate_in_a_telegram_text_is_a_400(client, publisher) -> None:
    # Would have reached Kafka's producer, which cannot encode it: a 500 there.
    body = fixture("telegram/private_message.json").replace('"text": "', '"text": "\\udfff', 1)

    response = await client.post(TG_URL, content=body.encode(), headers=TG_SECRET)

    assert response.status_code == 400
    assert publisher.published == []


async def test_a_nul_in_a_telegram_text_is_a_400(client, publisher) -> None:
    # PostgreSQL text cannot hold it: the router's insert would fail and dead-letter the appeal.
    body = fixture("telegram/private_message.json").replace('"text": "', '"text": "\\u0000', 1)

    response = await client.post(TG_URL, content=body.encode(), headers=TG_SECRET)

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert publisher.published == []


async def test_a_surrogate_encoded_as_utf8_bytes_is_not_utf8(client, publisher) -> None:
    body = (
        fixture("telegram/private_message.json")
        .encode()
        .replace(b'"text": "', b'"text": "\xed\xa0\x80', 1)
    )

    response = await client.post(TG_URL, content=body, headers=TG_SECRET)

    assert response.status_code == 400
    assert "utf-8" in response.json()["detail"]


async def test_a_surrogate_pair_and_a_utf8_bom_are_still_read(client, publisher) -> None:
    body = fixture("telegram/private_message.json").replace(
        '"text": "', '"text": "\\ud83d\\ude00 ', 1
    )

    response = await client.post(TG_URL, content=b"\xef\xbb\xbf" + body.encode(), headers=TG_SECRET)

    assert response.status_code == 200
    assert "\U0001f600" in publisher.published[0][1].payload.text


@pytest.mark.parametrize(
    "body",
    [
        b'{"page_id": "site-ivanovo", "text": NaN}',  # FastAPI's 422 echoed NaN: a 500
        json.dumps(appeal(text="\udfff")).encode(),
        json.dumps(appeal(author_id="a\ud800")).encode(),
        json.dumps(appeal(external_id="form\x001")).encode(),
        json.dumps({**appeal(), "\udfff": 1}).encode(),  # an unknown key is in the error's loc
    ],
    ids=["nan", "surrogate-text", "surrogate-author", "nul-external-id", "surrogate-key"],
)
async def test_a_generic_appeal_with_an_unwritable_value_is_a_422(
    client, publisher, body: bytes
) -> None:
    response = await client.post("/v1/appeals", content=body, headers={**JSON, **API_KEY})

    assert response.status_code == 422
    assert all(set(error) == {"type", "loc", "msg"} for error in response.json()["detail"])
    assert publisher.published == []


async def test_a_batch_item_with_a_surrogate_key_is_rejected_alone(client, publisher) -> None:
    items = [appeal(), {**appeal(external_id="form-2"), "\ud800": 1}]
    body = json.dumps({"items": items}).encode()

    response = await client.post("/v1/appeals/batch", content=body, headers={**JSON, **API_KEY})

    assert response.status_code == 202
    answer = response.json()
    assert (answer["accepted"], answer["rejected"]) == (1, 1)
    assert answer["items"][1]["error"]
    assert len(publisher.published) == 1


def test_unstorable_text_is_found_in_keys_values_and_deep_nesting() -> None:
    deep: object = "\ud800"
    for _ in range(5_000):
        deep = [deep]

    assert has_unstorable_text(deep)
    assert has_unstorable_text({"a\udc00": 1})
    assert has_unstorable_text({"text": ["a\x00"]})
    assert not has_unstorable_text({"text": "\U0001f600 ё\t\n", "n": [1, None, 2.5]})


@pytest.mark.parametrize(
    ("raw", "maybe"),
    [
        (rb'{"a": "\u0000"}', True),
        (rb'{"a": "\uDC00"}', True),
        (rb'{"a": "\ud83d\ude00"}', True),  # a pair: the walk decides
        (rb'{"a": "\u0412\u00e9"}', False),  # escaped Cyrillic and Latin: no walk needed
        ('{"a": "Яма 🙂"}'.encode(), False),
    ],
)
def test_only_bodies_with_a_nul_or_surrogate_escape_are_walked(raw: bytes, maybe: bool) -> None:
    assert may_hold_unstorable_text(raw) is maybe
