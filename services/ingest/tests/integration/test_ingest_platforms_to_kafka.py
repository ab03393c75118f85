"""Each platform over HTTP into the real broker: appeals, revisions, withdrawals and the page's
own answers land on their topics, keyed by appeal id; refused callbacks publish nothing."""

import json
import random
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import ConsumerRecord

from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_ANSWERED, APPEALS_RECEIVED, APPEALS_WITHDRAWN
from ingest.main import app

pytestmark = pytest.mark.integration

VK_GROUP, VK_SECRET = 220001, "demo-vk-secret-ivanovo"
TG_URL, TG_SECRET = "/callbacks/telegram/tg-adm-ivanovo", "demo-tg-secret-ivanovo"
TG_GROUP = -1002222222222
MAX_URL, MAX_SECRET = "/callbacks/max/max-adm-ivanovo", "demo-max-secret-ivanovo"
OK_URL = "/callbacks/ok/demo-ok-url-token-ivanovo-3b1f0c9e7d"


@pytest.fixture
async def client(infra) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as c:
            yield c


@pytest.fixture
async def topics(infra) -> AsyncIterator[dict[str, TopicReader]]:  # type: ignore[no-untyped-def]
    names = (APPEALS_RECEIVED, APPEALS_WITHDRAWN, APPEALS_ANSWERED)
    readers = {name: TopicReader(infra.kafka_bootstrap_servers, name) for name in names}
    for reader in readers.values():
        await reader.__aenter__()
    yield readers
    for reader in readers.values():
        await reader.__aexit__(None, None, None)


def payload(record: ConsumerRecord) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(record.value)["payload"]
    return data


def unique() -> int:
    return random.randint(10**6, 10**9)


def vk(event_type: str, obj: dict[str, Any], *, secret: str = VK_SECRET) -> dict[str, Any]:
    return {
        "type": event_type,
        "event_id": uuid.uuid4().hex,
        "v": "5.199",
        "group_id": VK_GROUP,
        "secret": secret,
        "object": obj,
    }


def vk_comment(comment_id: int, **changes: Any) -> dict[str, Any]:
    return {
        "id": comment_id,
        "from_id": 111111,
        "post_id": 3,
        "owner_id": -VK_GROUP,
        "date": int(time.time()),
        "text": "Когда уберут снег во дворе?",
        **changes,
    }


async def test_a_vk_comment_its_edit_its_answer_and_its_deletion(client, topics) -> None:
    cid = unique()
    key = f"wall-{VK_GROUP}_3/{cid}"
    edited = vk("wall_reply_edit", vk_comment(cid, text="Когда уберут снег во дворе дома 5?"))
    steps = [
        (APPEALS_RECEIVED, vk("wall_reply_new", vk_comment(cid))),
        (APPEALS_RECEIVED, edited),
        (APPEALS_RECEIVED, {**edited, "secret": VK_SECRET}),  # VK's retry of the same edit
        (
            APPEALS_ANSWERED,
            vk(
                "wall_reply_new",
                vk_comment(cid + 1, from_id=-VK_GROUP, reply_to_comment=cid, text="Сегодня."),
            ),
        ),
        (
            APPEALS_WITHDRAWN,
            vk("wall_reply_delete", {"owner_id": -VK_GROUP, "id": cid, "post_id": 3}),
        ),
    ]
    for _, body in steps:
        response = await client.post("/callbacks/vk", json=body)
        assert (response.status_code, response.text) == (200, "ok")

    original, edit = await topics[APPEALS_RECEIVED].wait_for(
        lambda r: payload(r)["external_id"] == key, count=2
    )
    # The retry was answered `ok` once Kafka had the edit, without publishing it again.
    seen = await topics[APPEALS_RECEIVED].drain(1.0)
    assert [r for r in seen if payload(r)["external_id"] == key] == [original, edit]
    appeal_id = payload(original)["appeal_id"]
    assert payload(edit)["appeal_id"] == appeal_id
    assert payload(original)["revision"] == 0
    assert payload(edit)["revision"] > 0
    assert payload(edit)["text"] == "Когда уберут снег во дворе дома 5?"
    assert json.loads(edit.value)["id"] != json.loads(original.value)["id"]
    [answer] = await topics[APPEALS_ANSWERED].wait_for(
        lambda r: payload(r)["appeal_id"] == appeal_id
    )
    assert payload(answer)["channel"] == "platform"
    assert answer.key == appeal_id.encode()
    [withdrawal] = await topics[APPEALS_WITHDRAWN].wait_for(
        lambda r: payload(r)["appeal_id"] == appeal_id
    )
    assert json.loads(withdrawal.value)["type"] == "appeal.withdrawn"
    assert withdrawal.key == appeal_id.encode()


async def test_a_telegram_comment_is_on_the_topic_and_a_bad_secret_publishes_nothing(
    client, topics
) -> None:
    message_id = unique()
    update = {
        "update_id": unique(),
        "message": {
            "message_id": message_id,
            "message_thread_id": 900,
            "date": int(time.time()),
            "from": {"id": 333333333, "is_bot": False, "first_name": "Мария"},
            "chat": {"id": TG_GROUP, "type": "supergroup"},
            "text": "А на Садовой тоже отключат?",
        },
    }
    refused = await client.post(
        TG_URL, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
    )
    accepted = await client.post(
        TG_URL, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
    )

    assert (refused.status_code, accepted.status_code) == (401, 200)
    key = f"chat{TG_GROUP}/{message_id}"
    [record] = await topics[APPEALS_RECEIVED].wait_for(lambda r: payload(r)["external_id"] == key)
    assert payload(record)["kind"] == "comment"
    drained = await topics[APPEALS_RECEIVED].drain(1.0)
    assert len([r for r in drained if payload(r)["external_id"] == key]) == 1  # not the 401


async def test_a_max_message_and_its_removal(client, topics) -> None:
    mid = f"mid.{uuid.uuid4().hex}"
    now_ms = int(time.time() * 1000)
    created = {
        "update_type": "message_created",
        "timestamp": now_ms,
        "message": {
            "recipient": {"chat_id": 182182182, "chat_type": "dialog", "user_id": 229229229},
            "timestamp": now_ms - 50,
            "sender": {"user_id": 123456789, "first_name": "Иван", "is_bot": False},
            "body": {"mid": mid, "seq": 116327994376978687, "text": "Не горят фонари"},
        },
    }
    removed = {
        "update_type": "message_removed",
        "timestamp": now_ms + 1000,
        "message_id": mid,
        "chat_id": 182182182,
        "user_id": 123456789,
    }
    headers = {"X-Max-Bot-Api-Secret": MAX_SECRET}
    for body in (created, removed):
        response = await client.post(MAX_URL, json=body, headers=headers)
        assert (response.status_code, response.text) == (200, "ok")

    [record] = await topics[APPEALS_RECEIVED].wait_for(lambda r: payload(r)["external_id"] == mid)
    assert payload(record)["platform"] == "max"
    [withdrawal] = await topics[APPEALS_WITHDRAWN].wait_for(
        lambda r: payload(r)["external_id"] == mid
    )
    assert payload(withdrawal)["appeal_id"] == payload(record)["appeal_id"]


async def test_an_ok_message_is_on_the_topic_and_a_wrong_token_publishes_nothing(
    client, topics
) -> None:
    mid = f"mid:C3ecb9d02a600.{uuid.uuid4().hex[:15]}"
    body = {
        "sender": {"user_id": "user:123456789012"},
        "recipient": {"chat_id": "chat:C3ecb9d02a600"},
        "message": {"mid": mid, "seq": 98211023614189660, "text": "Вопрос по вывозу мусора"},
        "timestamp": int(time.time() * 1000),
    }

    assert (await client.post("/callbacks/ok/not-the-token", json=body)).status_code == 403
    assert (await client.post(OK_URL, json=body)).status_code == 200
    records = await topics[APPEALS_RECEIVED].wait_for(lambda r: payload(r)["external_id"] == mid)
    assert [payload(r)["platform"] for r in records] == ["ok"]
