"""Polling credentials through the admin API on the real database: accepted, stored, shown
masked, cleared with null. The replica's poller points at a closed port, so the page it
briefly polls reaches no real platform."""

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.integration

TOKEN = "max-bot-token-admin-test-9876"
NOWHERE = {"INGEST_MAX_API_URL": "http://127.0.0.1:9", "INGEST_OK_API_URL": "http://127.0.0.1:9"}


async def test_a_max_bot_token_is_stored_masked_and_cleared(
    infra: Any, new_replica: Callable[..., Any], admin_headers: dict[str, str], unique: Any
) -> None:
    page_id = unique("max-token")
    page = {
        "id": page_id,
        "platform": "max",
        "external_id": str(-(10**12) - hash(page_id) % 10**9),
        "body_id": "adm-test",
        "name": "MAX с опросом комментариев",
        "secret": "max-webhook-secret-0001",
        "bot_id": "7000",
        "max_bot_token": TOKEN,
    }
    async with new_replica(**NOWHERE) as admin:
        try:
            created = await admin.post("/admin/v1/pages", json=page, headers=admin_headers)
            cleared = await admin.put(
                f"/admin/v1/pages/{page_id}", json={"max_bot_token": None}, headers=admin_headers
            )
        finally:
            await admin.delete(f"/admin/v1/pages/{page_id}", headers=admin_headers)

    assert created.status_code == 201, created.text
    assert created.json()["max_bot_token"] == {"set": True, "last4": "9876"}
    assert TOKEN not in created.text
    assert cleared.json()["max_bot_token"] == {"set": False, "last4": None}
