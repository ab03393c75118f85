"""The generic API's keys at the HTTP edge: 401 without a known key, 403 for another source's
page, accepted as `Authorization: Bearer` or `X-Api-Key`. The admin API wants its token."""

from datetime import UTC, datetime
from typing import Any

import pytest

SITE_KEY = "demo-only-api-key-site-ivanovo-5f0c2a9e7b41"
CALLCENTRE_KEY = "demo-only-api-key-callcentre-region-3d8e61b0"


def appeal(page_id: str = "site-ivanovo") -> dict[str, Any]:
    return {
        "page_id": page_id,
        "external_id": "form-1",
        "author_id": "citizen-1",
        "text": "Не вывозят мусор",
        "written_at": datetime.now(UTC).isoformat(),
    }


@pytest.mark.parametrize(
    "headers", [{"Authorization": f"Bearer {SITE_KEY}"}, {"X-Api-Key": SITE_KEY}]
)
async def test_the_sources_key_is_accepted(client, publisher, headers) -> None:
    response = await client.post("/v1/appeals", json=appeal(), headers=headers)

    assert response.status_code == 202, response.text
    assert len(publisher.published) == 1


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "an API key is required"),
        ({"Authorization": f"Basic {SITE_KEY}"}, "an API key is required"),
        ({"Authorization": "Bearer "}, "an API key is required"),
        ({"Authorization": "Bearer wrong-key"}, "unknown or revoked API key"),
        ({"X-Api-Key": SITE_KEY + "x"}, "unknown or revoked API key"),
        ({"X-Api-Key": "k" * 5000}, "unknown or revoked API key"),  # not looked up at all
    ],
)
async def test_no_or_an_unknown_key_is_a_401(client, publisher, headers, detail) -> None:
    response = await client.post("/v1/appeals", json=appeal(), headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert detail in response.json()["detail"]
    assert publisher.published == []


async def test_a_key_does_not_open_another_sources_page(client, publisher) -> None:
    headers = {"Authorization": f"Bearer {CALLCENTRE_KEY}"}

    response = await client.post("/v1/appeals", json=appeal("site-ivanovo"), headers=headers)

    assert response.status_code == 403
    assert response.json()["detail"] == "this API key is not for page 'site-ivanovo'"
    assert publisher.published == []


async def test_the_admin_api_wants_the_admin_token(client) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer ключ".encode()},
    ):
        response = await client.get("/admin/v1/pages", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_the_admin_api_without_a_database_is_a_503(client) -> None:
    headers = {"Authorization": "Bearer changethis-dev-admin-token"}

    response = await client.get("/admin/v1/pages", headers=headers)

    assert response.status_code == 503
