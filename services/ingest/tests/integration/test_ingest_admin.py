"""The admin API over HTTP on the real database: pages with masked credentials, conflicts,
validation, paging, and a change reaching callbacks on this replica at once and on another
within its refresh interval."""

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

VK_SECRET = "integration-vk-secret-0001"


def vk_page(page_id: str, external_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": page_id,
        "platform": "vk",
        "external_id": external_id,
        "body_id": "adm-ivanovo",
        "name": "Тестовая страница",
        "territory": "24701000",
        "timezone": "Europe/Moscow",
        "secret": VK_SECRET,
        "confirmation": "confirm-0001",
        **changes,
    }


def group_id(unique: Callable[[str], str]) -> str:
    """A VK community id no other run uses."""
    return str(800_000_000 + int(unique("x").split("-")[1], 16) % 100_000_000)


async def confirm(client: httpx.AsyncClient, group: str, secret: str = VK_SECRET) -> httpx.Response:
    body = {"type": "confirmation", "group_id": int(group), "secret": secret}
    return await client.post("/callbacks/vk", json=body)


async def test_a_page_is_created_read_listed_changed_and_deleted(
    admin, admin_headers, unique, cleanup
) -> None:
    page_id, group = unique("vk"), group_id(unique)
    cleanup.append(page_id)

    created = await admin.post(
        "/admin/v1/pages", json=vk_page(page_id, group), headers=admin_headers
    )
    assert created.status_code == 201, created.text
    read = (await admin.get(f"/admin/v1/pages/{page_id}", headers=admin_headers)).json()
    assert read == created.json()
    assert read["secret"] == {"set": True, "last4": "0001"}
    assert read["confirmation"] == {"set": True, "last4": "0001"}
    assert read["url_token"] == {"set": False, "last4": None}
    assert (read["territory"], read["timezone"]) == ("24701000", "Europe/Moscow")
    assert VK_SECRET not in created.text and "confirm-0001" not in created.text

    listed = await admin.get(
        "/admin/v1/pages", params={"platform": "vk", "limit": 500}, headers=admin_headers
    )
    assert page_id in [p["id"] for p in listed.json()["items"]]

    changed = await admin.put(
        f"/admin/v1/pages/{page_id}",
        json={"name": "Новое имя", "territory": None},
        headers=admin_headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["territory"]) == ("Новое имя", None)
    assert changed.json()["secret"]["set"] is True

    assert (
        await admin.delete(f"/admin/v1/pages/{page_id}", headers=admin_headers)
    ).status_code == 204
    assert (await admin.get(f"/admin/v1/pages/{page_id}", headers=admin_headers)).status_code == 404
    assert (
        await admin.delete(f"/admin/v1/pages/{page_id}", headers=admin_headers)
    ).status_code == 404
    missing = await admin.put(
        f"/admin/v1/pages/{page_id}", json={"name": "x"}, headers=admin_headers
    )
    assert missing.status_code == 404


async def test_conflicts_are_409s_that_quote_no_value(
    admin, admin_headers, unique, cleanup
) -> None:
    page_id, group = unique("vk"), group_id(unique)
    cleanup.append(page_id)
    await admin.post("/admin/v1/pages", json=vk_page(page_id, group), headers=admin_headers)

    same_id = await admin.post(
        "/admin/v1/pages", json=vk_page(page_id, group + "1"), headers=admin_headers
    )
    same_group = await admin.post(
        "/admin/v1/pages", json=vk_page(unique("other"), group), headers=admin_headers
    )

    assert (same_id.status_code, same_id.json()["detail"]) == (409, "a page with this id exists")
    assert same_group.status_code == 409
    assert same_group.json()["detail"] == "a page with this platform and external_id exists"


async def test_a_duplicate_url_token_is_a_409_without_the_token(
    admin, admin_headers, unique, cleanup
) -> None:
    token = "tok_" + unique("u").replace("-", "_") + "_" + "z" * 24
    ids = [unique("ok-a"), unique("ok-b")]
    cleanup.extend(ids)
    pages = [
        {
            "id": i,
            "platform": "ok",
            "external_id": i,
            "body_id": "b",
            "name": "n",
            "url_token": token,
        }
        for i in ids
    ]

    assert (
        await admin.post("/admin/v1/pages", json=pages[0], headers=admin_headers)
    ).status_code == 201
    second = await admin.post("/admin/v1/pages", json=pages[1], headers=admin_headers)

    assert second.status_code == 409
    assert token not in second.text


async def test_bad_input_is_a_422_that_says_why_without_echoing_it(
    admin, admin_headers, unique
) -> None:
    telegram = {
        "id": unique("tg"),
        "platform": "telegram",
        "external_id": "-100123",
        "body_id": "b",
        "name": "n",
        "secret": "a-telegram-secret-not-to-echo",
        "bot_id": "1",
    }

    response = await admin.post("/admin/v1/pages", json=telegram, headers=admin_headers)
    zone = await admin.post(
        "/admin/v1/pages",
        json={**telegram, "discussion_id": "-2", "timezone": "Mars/Olympus"},
        headers=admin_headers,
    )

    assert response.status_code == 422
    assert "needs discussion_id" in response.text
    assert "a-telegram-secret-not-to-echo" not in response.text
    assert zone.status_code == 422 and "IANA" in zone.text


async def test_an_update_that_breaks_the_platform_rule_is_a_422(
    admin, admin_headers, unique, cleanup
) -> None:
    page_id = unique("max")
    cleanup.append(page_id)
    page = {"id": page_id, "platform": "max", "external_id": page_id, "body_id": "b", "name": "n"}
    page |= {"secret": "max-secret-value", "bot_id": "229"}
    await admin.post("/admin/v1/pages", json=page, headers=admin_headers)

    response = await admin.put(
        f"/admin/v1/pages/{page_id}", json={"bot_id": None}, headers=admin_headers
    )

    assert response.status_code == 422
    assert "needs bot_id" in response.text


async def test_the_list_filters_by_body_and_pages(admin, admin_headers, unique, cleanup) -> None:
    body = unique("body")
    ids = [unique(f"api-{i}") for i in range(3)]
    cleanup.extend(ids)
    for page_id in ids:
        page = {
            "id": page_id,
            "platform": "api",
            "external_id": page_id,
            "body_id": body,
            "name": "n",
        }
        await admin.post("/admin/v1/pages", json=page, headers=admin_headers)

    first = await admin.get(
        "/admin/v1/pages", params={"body_id": body, "limit": 2}, headers=admin_headers
    )
    rest = await admin.get(
        "/admin/v1/pages", params={"body_id": body, "limit": 2, "offset": 2}, headers=admin_headers
    )
    other_platform = await admin.get(
        "/admin/v1/pages", params={"body_id": body, "platform": "vk"}, headers=admin_headers
    )

    assert first.json()["total"] == 3
    assert [p["id"] for p in first.json()["items"] + rest.json()["items"]] == sorted(ids)
    assert other_platform.json() == {"total": 0, "items": []}


async def test_a_change_applies_at_once_here_and_within_the_interval_elsewhere(
    admin, admin_headers, unique, cleanup, new_replica
) -> None:
    page_id, group = unique("vk"), group_id(unique)
    cleanup.append(page_id)
    async with new_replica(INGEST_PAGE_REFRESH_SECONDS=0.2) as other:
        assert (await confirm(other, group)).status_code == 403
        await admin.post("/admin/v1/pages", json=vk_page(page_id, group), headers=admin_headers)

        here = await confirm(admin, group)
        assert (here.status_code, here.text) == (200, "confirm-0001")
        await _eventually(lambda: confirm(other, group), 200)

        await admin.put(
            f"/admin/v1/pages/{page_id}",
            json={"secret": "rotated-secret-0002"},
            headers=admin_headers,
        )
        assert (await confirm(admin, group)).status_code == 403
        assert (await confirm(admin, group, "rotated-secret-0002")).status_code == 200

        await admin.delete(f"/admin/v1/pages/{page_id}", headers=admin_headers)
        gone = await confirm(admin, group, "rotated-secret-0002")
        assert (gone.status_code, gone.json()["detail"]) == (403, "community is not registered")
        await _eventually(lambda: confirm(other, group, "rotated-secret-0002"), 403)


async def _eventually(request: Callable[[], Any], status: int, timeout_s: float = 5.0) -> None:
    async with asyncio.timeout(timeout_s):
        while (await request()).status_code != status:
            await asyncio.sleep(0.05)


async def test_what_postgresql_cannot_store_is_a_422_not_a_500(
    admin, admin_headers, unique
) -> None:
    page = {"id": unique("api"), "platform": "api", "external_id": "x", "body_id": "b"}
    nul = await admin.post(
        "/admin/v1/pages", json={**page, "name": "a\x00b"}, headers=admin_headers
    )
    surrogate = await admin.post(
        "/admin/v1/pages",
        content=b'{"id": "x", "platform": "api", "external_id": "x", "body_id": "b",'
        b' "name": "\\ud800"}',
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    path = await admin.get("/admin/v1/pages/a%00b", headers=admin_headers)
    query = await admin.get("/admin/v1/pages", params={"body_id": "a\x00"}, headers=admin_headers)

    assert [r.status_code for r in (nul, surrogate, path, query)] == [422] * 4


async def test_an_offset_past_postgresql_bigint_is_a_422_not_a_500(admin, admin_headers) -> None:
    past = await admin.get("/admin/v1/pages", params={"offset": 2**63}, headers=admin_headers)
    last = await admin.get("/admin/v1/pages", params={"offset": 2**63 - 1}, headers=admin_headers)

    assert past.status_code == 422
    assert (last.status_code, last.json()["items"]) == (200, [])
