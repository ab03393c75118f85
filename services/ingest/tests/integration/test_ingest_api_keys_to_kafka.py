"""API keys issued and revoked through the admin API, and the batch endpoint into the real
broker: exactly the accepted items land on the topic."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_RECEIVED

pytestmark = pytest.mark.integration


@pytest.fixture
async def received(infra) -> AsyncIterator[TopicReader]:  # type: ignore[no-untyped-def]
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_RECEIVED) as reader:
        yield reader


@pytest.fixture
async def source(admin, admin_headers, unique, cleanup) -> str:  # type: ignore[no-untyped-def]
    page_id = unique("src")
    cleanup.append(page_id)
    page = {"id": page_id, "platform": "api", "external_id": page_id, "body_id": "adm-ivanovo"}
    response = await admin.post(
        "/admin/v1/pages", json={**page, "name": "Источник (тест)"}, headers=admin_headers
    )
    assert response.status_code == 201, response.text
    return page_id


def appeal(page_id: str, external_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "page_id": page_id,
        "external_id": external_id,
        "author_id": "citizen-1",
        "text": "Во дворе не вывозят мусор",
        "written_at": datetime.now(UTC).isoformat(),
        **changes,
    }


async def test_an_issued_key_opens_its_source_until_it_is_revoked(
    admin, admin_headers, source
) -> None:
    issued = await admin.post(f"/admin/v1/pages/{source}/api-keys", headers=admin_headers)
    assert issued.status_code == 201, issued.text
    key, key_id = issued.json()["key"], issued.json()["id"]
    assert key.startswith(issued.json()["prefix"]) and len(key) > 40
    auth = {"Authorization": f"Bearer {key}"}

    listed = await admin.get(f"/admin/v1/pages/{source}/api-keys", headers=admin_headers)
    assert key not in listed.text
    assert [k["prefix"] for k in listed.json()] == [issued.json()["prefix"]]

    ok = await admin.post("/v1/appeals", json=appeal(source, "k-1"), headers=auth)
    other = await admin.post("/v1/appeals", json=appeal("site-ivanovo", "k-2"), headers=auth)
    assert (ok.status_code, other.status_code) == (202, 403)

    revoked = await admin.delete(
        f"/admin/v1/pages/{source}/api-keys/{key_id}", headers=admin_headers
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    after = await admin.post("/v1/appeals", json=appeal(source, "k-3"), headers={"X-Api-Key": key})
    assert after.status_code == 401


async def test_keys_are_only_for_sources_and_known_keys(admin, admin_headers, unique) -> None:
    vk = await admin.post("/admin/v1/pages/vk-adm-ivanovo/api-keys", headers=admin_headers)
    nowhere = await admin.post(f"/admin/v1/pages/{unique('none')}/api-keys", headers=admin_headers)
    no_key = await admin.delete(
        "/admin/v1/pages/site-ivanovo/api-keys/no-such-key", headers=admin_headers
    )

    assert (vk.status_code, nowhere.status_code, no_key.status_code) == (422, 404, 404)


async def test_a_batch_puts_exactly_its_accepted_items_on_the_topic(
    admin, admin_headers, source, unique, received
) -> None:
    key = (await admin.post(f"/admin/v1/pages/{source}/api-keys", headers=admin_headers)).json()
    run = unique("batch")
    items = [
        appeal(source, f"{run}-0"),
        appeal(source, f"{run}-1", text="   "),
        appeal(source, f"{run}-2"),
        appeal("site-ivanovo", f"{run}-3"),
        appeal(source, f"{run}-4", written_at="2026-01-01T00:00:00"),
        appeal(source, f"{run}-5"),
    ]

    response = await admin.post(
        "/v1/appeals/batch", json={"items": items}, headers={"X-Api-Key": key["key"]}
    )

    assert response.status_code == 202, response.text
    answer = response.json()
    statuses = ["accepted", "rejected", "accepted", "rejected", "rejected", "accepted"]
    assert [i["status"] for i in answer["items"]] == statuses
    accepted = {i["appeal_id"] for i in answer["items"] if i["status"] == "accepted"}
    await received.wait_for(lambda r: _payload(r)["appeal_id"] in accepted, count=3)
    ours = [
        _payload(r) for r in await received.drain(1.0) if _payload(r)["external_id"].startswith(run)
    ]
    assert sorted(p["external_id"] for p in ours) == [f"{run}-0", f"{run}-2", f"{run}-5"]
    assert {p["page_id"] for p in ours} == {source}


def _payload(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(record.value)["payload"]
    return data
