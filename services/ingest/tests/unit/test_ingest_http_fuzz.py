"""Property-based fuzzing of every ingest endpoint through the real ASGI app (body size limit
included) with the fake publisher.

The property: never a 5xx; a 2xx only when the event was published or counted as ignored (or
is the VK handshake); a 4xx publishes nothing and says why in a JSON `detail`.
Reproducible: derandomized, no example database; a few hundred examples per endpoint. The
app (`client` in conftest.py, with the body size limit as main.py has it) and the fake
publisher are built once per test and shared by its examples.
"""

import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from ingest_fuzz_payloads import arbitrary, near_valid, one_nasty_string

from ingest import metrics
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VK_GROUP, VK_SECRET, VK_CONFIRMATION = 220001, "demo-vk-secret-ivanovo", "3f9a1c2e"
FUZZ = examples(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    # The app and the fake publisher are built once per test, not per example: on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@dataclass(frozen=True)
class Endpoint:
    url: str
    headers: dict[str, str]
    platform: str  # the `platform` label of the ignored-events counter
    valid: list[Any]


def _fixtures(platform: str) -> list[Any]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((FIXTURES / platform).glob("*.json"))]


def _vk(doc: dict[str, Any]) -> dict[str, Any]:
    obj = doc.get("object") or {}
    if doc["type"] in {"wall_reply_new", "message_reply"} and obj.get("from_id", 0) < 0:
        obj["from_id"] = -VK_GROUP  # the page's own reply, so that it is an answer
    return {**doc, "group_id": VK_GROUP, "secret": VK_SECRET}


API_KEY = {"Authorization": "Bearer demo-only-api-key-site-ivanovo-5f0c2a9e7b41"}
GENERIC_APPEAL = {
    "page_id": "site-ivanovo",
    "external_id": "form-2026-000123",
    "kind": "private_message",
    "author_id": "citizen-77",
    "text": "Во дворе дома 5 по ул. Ленина третий день не вывозят мусор",
    "written_at": "2026-01-10T09:15:00+03:00",
    "permalink": "https://example.org/form/123",
}
GENERIC_COMMENT = {**GENERIC_APPEAL, "external_id": "c-2", "kind": "comment", "permalink": None}
ENDPOINTS = {
    "vk": Endpoint("/callbacks/vk", {}, "vk", [_vk(d) for d in _fixtures("vk")]),
    "telegram": Endpoint(
        "/callbacks/telegram/tg-adm-ivanovo",
        {"X-Telegram-Bot-Api-Secret-Token": "demo-tg-secret-ivanovo"},
        "telegram",
        _fixtures("telegram"),
    ),
    "max": Endpoint(
        "/callbacks/max/max-adm-ivanovo",
        {"X-Max-Bot-Api-Secret": "demo-max-secret-ivanovo"},
        "max",
        _fixtures("max"),
    ),
    "ok": Endpoint("/callbacks/ok/demo-ok-url-token-ivanovo-3b1f0c9e7d", {}, "ok", _fixtures("ok")),
    "api": Endpoint("/v1/appeals", API_KEY, "api", [GENERIC_APPEAL, GENERIC_COMMENT]),
    "batch": Endpoint(
        "/v1/appeals/batch",
        API_KEY,
        "api",
        [{"items": [GENERIC_APPEAL]}, {"items": [GENERIC_APPEAL, GENERIC_COMMENT]}],
    ),
}


@pytest.fixture
def settings() -> Settings:
    # No rate limit: a fuzzer is one flooded page, and a 429 would hide every other answer.
    return Settings(PAGE_REGISTRY_FILE=ROOT / "config" / "pages.yaml", INGEST_PAGE_BURST=10**9)


def _ignored(platform: str) -> float:
    samples = (s for m in metrics.CALLBACKS_IGNORED.collect() for s in m.samples)
    return sum(
        s.value for s in samples if s.name.endswith("_total") and s.labels["platform"] == platform
    )


async def _post(
    client: httpx.AsyncClient,
    publisher: Any,
    endpoint: Endpoint,
    body: bytes,
    *,
    url: str | None = None,
    headers: dict[str, Any] | None = None,
) -> None:
    """Send one body (to the endpoint's URL with its headers, unless told otherwise) and check
    the property."""
    publisher.published.clear()
    ignored_before = _ignored(endpoint.platform)
    response = await client.post(
        url or endpoint.url,
        content=body,
        headers={
            "Content-Type": "application/json",
            **(endpoint.headers if headers is None else headers),
        },
    )

    published = list(publisher.published)
    event(f"{response.status_code}")  # the spread of answers: pytest --hypothesis-show-statistics
    assert response.status_code < 500, response.text
    if response.status_code < 300 and endpoint.url.endswith("/batch"):
        answer = response.json()  # one result per item; accepted ones were published
        assert len(published) == answer["accepted"] == len(answer["items"]) - answer["rejected"]
        assert all(item["error"] for item in answer["items"] if item["status"] == "rejected")
    elif response.status_code < 300:
        ignored = _ignored(endpoint.platform) - ignored_before
        handshake = endpoint.platform == "vk" and response.text == VK_CONFIRMATION
        assert (len(published), ignored) in {(1, 0), (0, 1)} or (handshake and not published)
        for _, envelope in published:
            encoded = envelope.encode()  # the fake publisher did too: valid UTF-8 JSON
            assert b"\\u0000" not in encoded  # consumers' PostgreSQL text cannot hold a NUL
    elif response.status_code < 400:  # the router's redirect of `/page/` to `/page`
        assert response.status_code == 307
        assert published == []
    else:
        assert published == []
        detail = response.json()["detail"]
        assert detail and isinstance(detail, str | list), detail


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@FUZZ
@given(data=st.data())
async def test_near_valid_bodies_are_read_or_refused_never_a_500(
    client: httpx.AsyncClient, publisher: Any, name: str, data: st.DataObject
) -> None:
    endpoint = ENDPOINTS[name]
    await _post(client, publisher, endpoint, data.draw(near_valid(endpoint.valid), label="body"))


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@examples(FUZZ, max_examples=100)
@given(data=st.data())
async def test_a_nasty_character_in_any_string_is_read_or_refused_never_a_500(
    client: httpx.AsyncClient, publisher: Any, name: str, data: st.DataObject
) -> None:
    endpoint = ENDPOINTS[name]
    await _post(
        client, publisher, endpoint, data.draw(one_nasty_string(endpoint.valid), label="body")
    )


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@examples(FUZZ, max_examples=120)
@given(data=st.data())
async def test_arbitrary_bodies_are_refused_never_a_500(
    client: httpx.AsyncClient, publisher: Any, name: str, data: st.DataObject
) -> None:
    await _post(client, publisher, ENDPOINTS[name], data.draw(arbitrary(), label="body"))


_HEADER_VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=300)
_PATH_PARTS = st.text(st.characters(codec=None), min_size=1, max_size=300)
_AUTH_HEADERS = ["Authorization", "X-Api-Key", "X-Telegram-Bot-Api-Secret-Token"]


@pytest.mark.parametrize("name", ["telegram", "max", "ok"])
@examples(FUZZ, max_examples=80)
@given(data=st.data(), secret=_HEADER_VALUES)
async def test_any_page_in_the_path_and_any_secret_header_never_a_500(
    client: httpx.AsyncClient, publisher: Any, name: str, data: st.DataObject, secret: str
) -> None:
    endpoint = ENDPOINTS[name]
    base, registered = endpoint.url.rsplit("/", 1)
    page = data.draw(st.just(registered) | _PATH_PARTS, label="page")
    url = f"{base}/{urllib.parse.quote(page, safe='', errors='surrogatepass')}"
    headers = {key: secret.encode("latin-1") for key in endpoint.headers}  # as sent on the wire
    body = json.dumps(endpoint.valid[0]).encode()
    await _post(client, publisher, endpoint, body, url=url, headers=headers)


@pytest.mark.parametrize("name", ["api", "batch"])
@examples(FUZZ, max_examples=80)
@given(header=st.sampled_from(_AUTH_HEADERS), value=_HEADER_VALUES)
async def test_any_api_key_header_never_a_500(
    client: httpx.AsyncClient, publisher: Any, name: str, header: str, value: str
) -> None:
    endpoint = ENDPOINTS[name]
    body = json.dumps(endpoint.valid[0]).encode()
    headers = {header: value.encode("latin-1")}
    await _post(client, publisher, endpoint, body, headers=headers)
