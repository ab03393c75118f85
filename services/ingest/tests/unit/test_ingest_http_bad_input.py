"""Hostile bodies on every platform endpoint: always a 4xx with a reason, never a 500, and
nothing published. (Property-based fuzzing of every endpoint: test_ingest_http_fuzz.py.)"""

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENDPOINTS = {
    "vk": ("/callbacks/vk", {}),
    "telegram": (
        "/callbacks/telegram/tg-adm-ivanovo",
        {"X-Telegram-Bot-Api-Secret-Token": "demo-tg-secret-ivanovo"},
    ),
    "max": ("/callbacks/max/max-adm-ivanovo", {"X-Max-Bot-Api-Secret": "demo-max-secret-ivanovo"}),
    "ok": ("/callbacks/ok/demo-ok-url-token-ivanovo-3b1f0c9e7d", {}),
}
VALID = {
    "vk": "vk/wall_reply_new.json",
    "telegram": "telegram/private_message.json",
    "max": "max/message_created_dialog.json",
    "ok": "ok/message.json",
}
GENERIC = [
    b"",
    b"{",
    b"[]",
    b"null",
    b"12",
    b"\xff\xfe\x00",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a": ' * 5_000 + b"1" + b"}" * 5_000,
    b'{"update_id": NaN, "timestamp": Infinity, "group_id": -Infinity}',
    b'{"type": "\\ud800", "update_type": "\\udc00", "timestamp": 1e400}',
]


def valid(platform: str) -> str:
    # One line, json.dumps' separators: the replacements below are written for that form.
    text = json.dumps(json.loads((FIXTURES / VALID[platform]).read_text(encoding="utf-8")))
    if platform == "vk":  # addressed to the shipped registry's community
        text = text.replace('"group_id": 222222', '"group_id": 220001').replace(
            '"test-secret"', '"demo-vk-secret-ivanovo"'
        )
    return text


# Lone surrogates and odd values placed where the parsers read untyped parts (attachments).
NASTY_PARTS = {
    "vk": [
        (
            '"attachments": [',
            '"attachments": [{"type": "link", "link": {"url": "https://a/\\ud800"}}, ',
        ),
        ('"attachments": [', '"attachments": [{"type": "\\udfff"}, '),
        ('"post_id": 3', '"post_id": 99999999999999999999999999999999999999999'),
    ],
    "telegram": [
        ('"text": ', '"sticker": {"file_id": "\\ud800"}, "text": '),
        ('"text": ', '"venue": {"location": {"latitude": 1e400, "longitude": 0}}, "text": '),
        ('"text": ', '"location": {"latitude": "north"}, "text": '),
    ],
    "max": [
        (
            '"text": ',
            '"attachments": [{"type": "image", "payload": {"photo_id": "\\ud800"}}], "text": ',
        ),
        (
            '"text": ',
            '"attachments": [{"type": "location", "latitude": 91, "longitude": 0}], "text": ',
        ),
        ('"seq": 116327994376978687', '"seq": "1.2"'),
    ],
    "ok": [
        ('"payload": {"url"', '"payload": {"x": 1}, "y": {"url"'),
        ('"type": "SHARE"', '"type": "\\ud800"'),
        ('"user_id": "user:123456789012"', '"user_id": ["user"]'),
    ],
}


@pytest.mark.parametrize("platform", sorted(ENDPOINTS))
@pytest.mark.parametrize("content", GENERIC, ids=range(len(GENERIC)))
async def test_garbage_is_a_4xx_and_nothing_is_published(
    client, publisher, platform: str, content: bytes
) -> None:
    url, headers = ENDPOINTS[platform]

    response = await client.post(url, content=content, headers=headers)

    assert 400 <= response.status_code < 500, response.text
    assert "detail" in response.json()
    assert publisher.published == []


@pytest.mark.parametrize(
    ("platform", "change"),
    [(platform, change) for platform, changes in NASTY_PARTS.items() for change in changes],
)
async def test_nasty_parts_of_a_valid_body_are_a_4xx_or_read_never_a_500(
    client, publisher, platform: str, change: tuple[str, str]
) -> None:
    url, headers = ENDPOINTS[platform]
    text = valid(platform)
    assert change[0] in text
    content = text.replace(change[0], change[1], 1).encode()

    response = await client.post(url, content=content, headers=headers)

    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert publisher.published == []
    for _, event in publisher.published:
        json.loads(event.encode())  # what was published is valid UTF-8 JSON
