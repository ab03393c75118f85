"""`POST /v1/appeals/batch` at the HTTP edge with a fake publisher."""

from datetime import UTC, datetime
from typing import Any

KEY = {"Authorization": "Bearer demo-only-api-key-site-ivanovo-5f0c2a9e7b41"}


def item(external_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "page_id": "site-ivanovo",
        "external_id": external_id,
        "author_id": "citizen-1",
        "text": "Не вывозят мусор",
        "written_at": datetime.now(UTC).isoformat(),
        **changes,
    }


async def test_a_batch_accepts_the_good_items_and_says_why_the_others_are_not(
    client, publisher
) -> None:
    items = [item("b-1"), item("b-2", written_at="2015-01-01T00:00:00+00:00"), item("b-3")]

    response = await client.post("/v1/appeals/batch", json={"items": items}, headers=KEY)

    assert response.status_code == 202, response.text
    answer = response.json()
    assert (answer["accepted"], answer["rejected"]) == (2, 1)
    assert [(i["index"], i["status"]) for i in answer["items"]] == [
        (0, "accepted"),
        (1, "rejected"),
        (2, "accepted"),
    ]
    assert answer["items"][1]["error"].startswith("written_at:")
    ids = {str(e.payload.appeal_id) for _, e in publisher.published}
    assert ids == {answer["items"][0]["appeal_id"], answer["items"][2]["appeal_id"]}


async def test_a_batch_of_1000_is_accepted_and_one_of_1001_refused(client, publisher) -> None:
    items = [item(f"n-{i}") for i in range(1001)]

    too_many = await client.post("/v1/appeals/batch", json={"items": items}, headers=KEY)
    assert too_many.status_code == 422
    assert "at most 1000 items, not 1001" in too_many.text
    assert publisher.published == []

    response = await client.post("/v1/appeals/batch", json={"items": items[:1000]}, headers=KEY)
    assert response.status_code == 202, response.text[:300]
    assert response.json()["accepted"] == 1000 == len(publisher.published)


async def test_kafka_down_makes_the_batch_a_503_to_retry(client, publisher) -> None:
    publisher.down = True

    response = await client.post("/v1/appeals/batch", json={"items": [item("d-1")]}, headers=KEY)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


async def test_a_batch_needs_a_key_and_is_refused_empty(client) -> None:
    no_key = await client.post("/v1/appeals/batch", json={"items": [item("k-1")]})
    empty = await client.post("/v1/appeals/batch", json={"items": []}, headers=KEY)

    assert no_key.status_code == 401
    assert empty.status_code == 422


async def test_a_batch_may_be_larger_than_a_callback(client, publisher) -> None:
    # 600 items of ~1 KiB: over INGEST_MAX_BODY_BYTES (256 KiB), under the batch limit.
    items = [item(f"big-{i}", text="Яма на дороге " * 40) for i in range(600)]

    response = await client.post("/v1/appeals/batch", json={"items": items}, headers=KEY)
    callback = await client.post("/callbacks/vk", content=b" " * (300 * 1024))

    assert response.status_code == 202
    assert callback.status_code == 413
