"""End to end: what residents and pages do on the platforms after the first message.

A page's own reply on VK answers the appeal (queue and SLA clock), a deleted comment withdraws
it, an edit reaches the agency's queue, and a Telegram message to the page's bot is routed like
any other appeal.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from appeals_common.events import AppealKind, Platform
from ingest.domain.normalise import appeal_id

pytestmark = pytest.mark.e2e

GROUP, SECRET = 220001, "demo-vk-secret-ivanovo"  # config/pages.yaml: Администрация Иваново
TELEGRAM_PAGE, TELEGRAM_SECRET = "tg-adm-ivanovo", "demo-tg-secret-ivanovo"
TELEGRAM_CHANNEL = "-1001111111111"


@pytest.fixture
async def http(running_services, identity) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A ЦУР operator's client: the router and SLA monitor see every appeal for them."""
    headers = identity.headers("cur-operator")
    async with httpx.AsyncClient(timeout=10, headers=headers) as client:
        yield client


def _unwrapped(response: httpx.Response) -> dict[str, object]:
    """The router's card holds the appeal under "appeal"; other answers are the object itself."""
    body = response.json() if response.status_code == 200 else {}
    return dict(body.get("appeal", body)) if isinstance(body, dict) else {}


def _unique() -> int:
    return time.time_ns() // 1000 % 10**9


async def _vk(
    http: httpx.AsyncClient, urls: dict[str, str], type_: str, obj: dict[str, Any]
) -> None:
    body = {
        "type": type_,
        "event_id": uuid.uuid4().hex,
        "v": "5.199",
        "group_id": GROUP,
        "secret": SECRET,
        "object": obj,
    }
    response = await http.post(f"{urls['ingest']}/callbacks/vk", json=body)
    assert (response.status_code, response.text) == (200, "ok")


def _comment(comment_id: int, text: str, *, from_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": comment_id,
        "from_id": from_id,
        "post_id": 11,
        "owner_id": -GROUP,
        "post_owner_id": -GROUP,
        "date": int(time.time()),
        "text": text,
        **extra,
    }


async def _comment_routed(
    http: httpx.AsyncClient, urls: dict[str, str], text: str
) -> tuple[int, str]:
    """A resident's comment under post 11; its id and its appeal once routed."""
    comment_id = _unique()
    await _vk(http, urls, "wall_reply_new", _comment(comment_id, text, from_id=777001))
    appeal = appeal_id(Platform.VK, str(GROUP), AppealKind.COMMENT, f"wall-{GROUP}_11/{comment_id}")
    await _until(http, f"{urls['router']}/v1/appeals/{appeal}", lambda a: True)
    return comment_id, str(appeal)


async def _until(
    http: httpx.AsyncClient, url: str, done: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            response = await http.get(url)
            body = _unwrapped(response)
            if response.status_code == 200 and done(body):
                return body
            await asyncio.sleep(0.2)


async def test_the_pages_reply_on_vk_answers_the_appeal(http, running_services) -> None:
    urls = running_services
    comment_id, appeal = await _comment_routed(
        http, urls, "У дома 14 на Ленина третий день не горит фонарь"
    )
    reply = _comment(
        _unique(), "Заявка передана подрядчику", from_id=-GROUP, reply_to_comment=comment_id
    )
    await _vk(http, urls, "wall_reply_new", reply)
    routed = await _until(
        http, f"{urls['router']}/v1/appeals/{appeal}", lambda a: a["status"] == "answered"
    )
    clock = await _until(
        http, f"{urls['sla-monitor']}/v1/sla/appeals/{appeal}", lambda c: c["state"] != "open"
    )
    assert routed["answered_at"] is not None
    assert clock["state"] == "answered_in_time"


async def test_a_deleted_comment_is_withdrawn_and_cannot_breach(http, running_services) -> None:
    urls = running_services
    comment_id, appeal = await _comment_routed(
        http, urls, "Во дворе на Парижской Коммуны 5 не вывозят мусор"
    )
    deletion = {"owner_id": -GROUP, "id": comment_id, "deleter_id": 777001, "post_id": 11}
    await _vk(http, urls, "wall_reply_delete", deletion)
    await _until(
        http, f"{urls['router']}/v1/appeals/{appeal}", lambda a: a["status"] == "withdrawn"
    )
    clock = await _until(
        http, f"{urls['sla-monitor']}/v1/sla/appeals/{appeal}", lambda c: c["state"] == "withdrawn"
    )
    assert clock["breached_at"] is None


async def test_an_edited_comment_reaches_the_queue(http, running_services) -> None:
    urls = running_services
    comment_id, appeal = await _comment_routed(http, urls, "яма на дороге")
    edited = "Яма на дороге у дома 3 по ул. Жиделева, уже пробил колесо"
    await _vk(http, urls, "wall_reply_edit", _comment(comment_id, edited, from_id=777001))
    routed = await _until(
        http, f"{urls['router']}/v1/appeals/{appeal}", lambda a: a["revision"] > 0
    )
    assert routed["text"] == edited


async def test_a_telegram_message_to_the_pages_bot_is_routed(http, running_services) -> None:
    urls = running_services
    chat, message_id = 500000000 + _unique() % 10**6, _unique()
    update = {
        "update_id": _unique(),
        "message": {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Анна"},
            "from": {"id": chat, "is_bot": False, "first_name": "Анна"},
            "text": "Здравствуйте! На Лежневской 120 нет горячей воды уже неделю",
        },
    }
    response = await http.post(
        f"{urls['ingest']}/callbacks/telegram/{TELEGRAM_PAGE}",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
    )
    assert response.status_code == 200, response.text
    appeal = appeal_id(
        Platform.TELEGRAM, TELEGRAM_CHANNEL, AppealKind.PRIVATE_MESSAGE, f"chat{chat}/{message_id}"
    )
    routed = await _until(http, f"{urls['router']}/v1/appeals/{appeal}", lambda a: True)
    assert (routed["platform"], routed["page_id"]) == ("telegram", TELEGRAM_PAGE)


async def test_a_restored_comment_is_back_in_the_queue(http, running_services) -> None:
    urls = running_services
    text = "На Садовой 12 неделю не работает лифт"
    comment_id, appeal = await _comment_routed(http, urls, text)
    deletion = {"owner_id": -GROUP, "id": comment_id, "deleter_id": 777001, "post_id": 11}
    await _vk(http, urls, "wall_reply_delete", deletion)
    await _until(
        http, f"{urls['router']}/v1/appeals/{appeal}", lambda a: a["status"] == "withdrawn"
    )
    await _until(
        http, f"{urls['sla-monitor']}/v1/sla/appeals/{appeal}", lambda c: c["state"] == "withdrawn"
    )
    await _vk(http, urls, "wall_reply_restore", _comment(comment_id, text, from_id=777001))
    routed = await _until(
        http, f"{urls['router']}/v1/appeals/{appeal}", lambda a: a["status"] == "routed"
    )
    clock = await _until(
        http, f"{urls['sla-monitor']}/v1/sla/appeals/{appeal}", lambda c: c["state"] == "open"
    )
    assert (routed["routing"], clock["withdrawn_at"]) == (1, None)
