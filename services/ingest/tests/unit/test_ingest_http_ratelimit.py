"""Per-page rate limiting at the HTTP edge: 429 with Retry-After, nothing published, counted by
platform; other pages, unauthenticated requests and the VK handshake spend no tokens."""

import json
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BURST = 2
TG_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": "demo-tg-secret-ivanovo"}
MAX_HEADERS = {"X-Max-Bot-Api-Secret": "demo-max-secret-ivanovo"}
API_KEY = {"Authorization": "Bearer demo-only-api-key-site-ivanovo-5f0c2a9e7b41"}
URLS = {
    "telegram": ("/callbacks/telegram/tg-adm-ivanovo", TG_HEADERS),
    "max": ("/callbacks/max/max-adm-ivanovo", MAX_HEADERS),
    "ok": ("/callbacks/ok/demo-ok-url-token-ivanovo-3b1f0c9e7d", {}),
    "vk": ("/callbacks/vk", {}),
    "api": ("/v1/appeals", API_KEY),
    "batch": ("/v1/appeals/batch", API_KEY),  # one token per request, however many items
}
VK_SECRETS = {220001: "demo-vk-secret-ivanovo", 220002: "demo-vk-secret-region"}


@pytest.fixture
def settings() -> Settings:
    # Two events at once and, in the time a test takes, no refill (a token per 10,000 s).
    return Settings(
        PAGE_REGISTRY_FILE=ROOT / "config" / "pages.yaml",
        INGEST_PAGE_BURST=BURST,
        INGEST_PAGE_RATE_PER_SECOND=0.0001,
    )


def fixture(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / path).read_text(encoding="utf-8"))
    return data


def vk_comment(group_id: int, n: int) -> dict[str, Any]:
    return {
        "type": "wall_reply_new",
        "event_id": f"{n:040d}",
        "group_id": group_id,
        "secret": VK_SECRETS[group_id],
        "object": {"id": n, "from_id": 1, "post_id": 3, "date": 1719900000, "text": "Яма"},
    }


def body(platform: str, n: int) -> dict[str, Any]:
    """A valid event that is published; `n` makes it a different one."""
    if platform == "telegram":
        return {**fixture("telegram/private_message.json"), "update_id": n}
    if platform == "max":
        return fixture("max/message_created_dialog.json")
    if platform == "ok":
        return fixture("ok/message.json")
    if platform == "vk":
        return vk_comment(220001, n)
    if platform == "batch":
        return {"items": [body("api", n), body("api", -n)]}
    return {
        "page_id": "site-ivanovo",
        "external_id": f"form-{n}",
        "author_id": "citizen-77",
        "text": "Не вывозят мусор",
        "written_at": "2026-01-10T09:15:00+03:00",
    }


def limited(platform: str) -> float:
    labels = {"platform": platform}
    return REGISTRY.get_sample_value("ingest_callbacks_rate_limited_total", labels) or 0.0


@pytest.mark.parametrize("platform", sorted(URLS))
async def test_over_the_burst_is_a_429_with_retry_after_and_nothing_published(
    client, publisher, platform: str
) -> None:
    url, headers = URLS[platform]
    label = "api" if platform == "batch" else platform
    before = limited(label)
    for n in range(1, BURST + 1):
        assert (await client.post(url, json=body(platform, n), headers=headers)).status_code < 300

    response = await client.post(url, json=body(platform, BURST + 1), headers=headers)

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"  # capped: VK wants it under 3 h
    assert "too many events for this page" in response.json()["detail"]
    assert len(publisher.published) == BURST * (2 if platform == "batch" else 1)
    assert limited(label) == before + 1


async def test_the_limit_is_checked_before_the_body_is_read(client, publisher) -> None:
    url, headers = URLS["telegram"]
    for n in range(1, BURST + 1):
        await client.post(url, json=body("telegram", n), headers=headers)

    response = await client.post(url, content=b"{not json", headers=headers)

    assert response.status_code == 429


async def test_a_flooded_community_does_not_hold_up_another(client, publisher) -> None:
    for n in range(1, BURST + 3):
        await client.post("/callbacks/vk", json=vk_comment(220001, n))

    response = await client.post("/callbacks/vk", json=vk_comment(220002, 1))

    assert (response.status_code, response.text) == (200, "ok")


async def test_the_vk_handshake_is_never_limited(client, publisher) -> None:
    for n in range(1, BURST + 3):
        await client.post("/callbacks/vk", json=vk_comment(220001, n))
    handshake = {"type": "confirmation", "group_id": 220001, "secret": VK_SECRETS[220001]}

    for _ in range(3):
        response = await client.post("/callbacks/vk", json=handshake)
        assert (response.status_code, response.text) == (200, "3f9a1c2e")


async def test_requests_with_a_wrong_secret_spend_no_tokens(client, publisher) -> None:
    url, _ = URLS["telegram"]
    wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
    for n in range(10):
        assert (await client.post(url, json=body("telegram", n), headers=wrong)).status_code == 401

    for n in range(1, BURST + 1):
        response = await client.post(url, json=body("telegram", n), headers=TG_HEADERS)
        assert response.status_code == 200


async def test_the_metric_is_labelled_by_platform_only(client) -> None:
    families = [m for m in REGISTRY.collect() if m.name == "ingest_callbacks_rate_limited"]

    assert {tuple(s.labels) for s in families[0].samples} <= {("platform",)}
