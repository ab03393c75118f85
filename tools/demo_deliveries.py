"""The demo's last step: where the answers went. An answer to a VK or Telegram appeal is
posted back as the page (to the fake platforms in the local stack); one to the site or the
call centre is the source's to send."""

import asyncio
import time
import uuid
from typing import Any

import httpx

STATES = {
    "pending": "ещё отправляется",
    "delivered": "опубликован на площадке",
    "failed": "не доставлен",
    "manual": "доставлен иначе",
}


async def deliveries(
    client: httpx.AsyncClient, router: str, appeal_id: uuid.UUID, deadline: float
) -> list[dict[str, Any]]:
    """The appeal's answers' deliveries once none is pending (or what there is at the deadline)."""
    found: list[dict[str, Any]] = []
    while True:
        card = (await client.get(f"{router}/v1/appeals/{appeal_id}")).json()
        found = [d for answer in card.get("answers", []) for d in answer.get("deliveries", [])]
        if all(d["state"] != "pending" for d in found) or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.3)


def describe(found: list[dict[str, Any]]) -> str:
    """One line in Russian: where the answer is now."""
    if not found:
        return "ответ отправит источник (сайт, колл-центр)"
    parts = []
    for d in found:
        line = STATES.get(d["state"], d["state"])
        if d.get("reply_url"):
            line += f": {d['reply_url']}"
        elif d.get("reason"):
            line += f" ({d['reason']})"
        parts.append(line)
    return "; ".join(parts)
