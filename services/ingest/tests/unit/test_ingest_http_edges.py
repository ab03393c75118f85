"""Ingest's HTTP edge with a fake publisher: what is answered when Kafka is or is not there."""

import time


def _comment() -> dict[str, object]:
    return {
        "type": "wall_reply_new",
        "event_id": "a" * 40,
        "v": "5.199",
        "group_id": 220001,
        "secret": "demo-vk-secret-ivanovo",
        "object": {"id": 5, "from_id": 1, "post_id": 3, "date": int(time.time()), "text": "Яма"},
    }


async def test_vk_is_told_ok_only_after_the_event_is_published(client, publisher) -> None:
    response = await client.post("/callbacks/vk", json=_comment())
    assert (response.status_code, response.text) == (200, "ok")
    assert [topic for topic, _ in publisher.published] == ["appeals.received.v1"]


async def test_kafka_down_is_a_503_with_retry_after_never_ok(client, publisher) -> None:
    publisher.down = True
    response = await client.post("/callbacks/vk", json=_comment())
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "temporarily unavailable" in response.json()["detail"]
    assert publisher.published == []


async def test_readiness_fails_when_kafka_is_down(client, publisher) -> None:
    assert (await client.get("/health/ready")).status_code == 200
    publisher.down = True
    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert list(response.json()["failed"]) == ["kafka"]


async def test_a_non_ascii_secret_is_refused_not_a_500(client, publisher) -> None:
    response = await client.post("/callbacks/vk", json={**_comment(), "secret": "секрет"})
    assert response.status_code == 403
    assert publisher.published == []


async def test_a_non_object_body_is_a_400(client) -> None:
    for body in (b"[]", b"null", b'"ok"', b"\xff\xfe"):
        response = await client.post("/callbacks/vk", content=body)
        assert response.status_code == 400, body
