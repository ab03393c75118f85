"""For the delivery end-to-end tests: residents writing on VK and Telegram (webhooks to the
running ingest), the fake platforms' ledgers, and the delivery worker's process."""

import asyncio
import os
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from appeals_common.events import AppealKind, Platform
from ingest.domain.normalise import appeal_id

ROOT = Path(__file__).resolve().parents[2]
WORKER_PID = ROOT / ".stack" / "test" / "pids" / "ingest-delivery.pid"
# config/pages.yaml: the city administration's VK community and Telegram channel.
VK_GROUP, VK_SECRET = 220001, "demo-vk-secret-ivanovo"
TG_PAGE, TG_SECRET = "tg-adm-ivanovo", "demo-tg-secret-ivanovo"
TG_CHANNEL, TG_DISCUSSION = -1001111111111, -1002222222222


def unique() -> int:
    return time.time_ns() // 1000 % 10**9


async def until(
    probe: Callable[[], Any], done: Callable[[Any], bool], timeout_s: float = 45
) -> Any:
    """Call `probe` until `done` holds for what it gives back."""
    async with asyncio.timeout(timeout_s):
        while True:
            value = await probe()
            if done(value):
                return value
            await asyncio.sleep(0.25)


class World:
    """The running services, as a ЦУР operator and as the platforms see them."""

    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str]) -> None:
        self.http, self.urls = http, urls

    async def card(self, appeal: str) -> dict[str, Any]:
        response = await self.http.get(f"{self.urls['router']}/v1/appeals/{appeal}")
        return response.json() if response.status_code == 200 else {}

    async def routed(self, appeal: str) -> dict[str, Any]:
        return await until(lambda: self.card(appeal), lambda c: bool(c))

    async def answer(self, appeal: str, text: str) -> None:
        card = await self.routed(appeal)
        response = await self.http.post(
            f"{self.urls['router']}/v1/appeals/{appeal}/answer",
            json={"text": text},
            headers={"If-Match": f'"{card["appeal"]["version"]}"'},
        )
        assert response.status_code == 201, response.text

    async def delivery(self, appeal: str, state: str) -> dict[str, Any]:
        """The appeal's answer's delivery, once it is in `state`."""

        def in_state(card: dict[str, Any]) -> bool:
            found = [d for a in card.get("answers", []) for d in a["deliveries"]]
            return bool(found) and found[0]["state"] == state

        card = await until(lambda: self.card(appeal), in_state)
        return dict(card["answers"][0]["deliveries"][0])

    async def fake(self, platform: str, action: str | None = None, **body: Any) -> dict[str, Any]:
        base = f"{self.urls['fake-platforms']}/_fake/{platform}"
        if action is None:
            return dict((await self.http.get(base)).json())
        response = await self.http.post(f"{base}/{action}", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def posted(self, platform: str, text: str) -> list[dict[str, Any]]:
        """What the fake platform got with this text (each test's text is its own)."""
        return [p for p in (await self.fake(platform))["posted"] if p["text"] == text]

    # What residents write.

    async def vk_comment(self, text: str) -> tuple[int, str]:
        comment = unique()
        await self.vk_callback("wall_reply_new", vk_comment(comment, text, from_id=777001))
        key = f"wall-{VK_GROUP}_11/{comment}"
        return comment, str(appeal_id(Platform.VK, str(VK_GROUP), AppealKind.COMMENT, key))

    async def vk_callback(self, type_: str, obj: dict[str, Any]) -> None:
        body = {
            "type": type_,
            "event_id": uuid.uuid4().hex,
            "v": "5.199",
            "group_id": VK_GROUP,
            "secret": VK_SECRET,
            "object": obj,
        }
        response = await self.http.post(f"{self.urls['ingest']}/callbacks/vk", json=body)
        assert (response.status_code, response.text) == (200, "ok")

    async def tg_discussion_comment(self, text: str) -> tuple[int, str]:
        """A resident's comment under the channel's post 77, in the discussion group."""
        message_id = unique()
        forward = {
            "message_id": 5,
            "date": int(time.time()) - 60,
            "chat": {"id": TG_DISCUSSION, "type": "supergroup", "title": "Обсуждение"},
            "sender_chat": {"id": TG_CHANNEL, "type": "channel", "title": "Администрация"},
            "is_automatic_forward": True,
            "forward_origin": {
                "type": "channel",
                "chat": {"id": TG_CHANNEL, "type": "channel", "title": "Администрация"},
                "message_id": 77,
                "date": int(time.time()) - 60,
            },
            "text": "Пост администрации",
        }
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": TG_DISCUSSION, "type": "supergroup", "title": "Обсуждение"},
            "from": {"id": 600001, "is_bot": False, "first_name": "Олег"},
            "text": text,
            "reply_to_message": forward,
        }
        await self._telegram({"update_id": unique(), "message": message})
        key = f"chat{TG_DISCUSSION}/{message_id}"
        return message_id, str(
            appeal_id(Platform.TELEGRAM, str(TG_CHANNEL), AppealKind.COMMENT, key)
        )

    async def tg_private(self, text: str) -> tuple[int, str]:
        chat, message_id = 500000000 + unique() % 10**6, unique()
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Анна"},
            "from": {"id": chat, "is_bot": False, "first_name": "Анна"},
            "text": text,
        }
        await self._telegram({"update_id": unique(), "message": message})
        key = f"chat{chat}/{message_id}"
        kind = AppealKind.PRIVATE_MESSAGE
        return chat, str(appeal_id(Platform.TELEGRAM, str(TG_CHANNEL), kind, key))

    async def _telegram(self, update: dict[str, Any]) -> None:
        response = await self.http.post(
            f"{self.urls['ingest']}/callbacks/telegram/{TG_PAGE}",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
        )
        assert response.status_code == 200, response.text


def vk_comment(comment_id: int, text: str, *, from_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": comment_id,
        "from_id": from_id,
        "post_id": 11,
        "owner_id": -VK_GROUP,
        "post_owner_id": -VK_GROUP,
        "date": int(time.time()),
        "text": text,
        **extra,
    }


def kill_worker() -> None:
    """SIGKILL the delivery worker's process group: no clean shutdown, nothing flushed."""
    pid = int(WORKER_PID.read_text().strip())
    os.killpg(pid, signal.SIGKILL)
