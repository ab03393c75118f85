"""The tokens pages answer with: each only on its own platform's pages, checked like the other
credentials, masked in the admin API's answers, kept out of `repr`, and in the shipped seed."""

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from ingest.adapters.page_registry_file import load_seed
from ingest.domain.page_fields import PageCreate, PageUpdate, updated
from ingest.domain.page_views import SecretRead, page_read

PAGES_YAML = Path(__file__).resolve().parents[4] / "config" / "pages.yaml"
VK: dict[str, Any] = {
    "id": "vk-answers",
    "platform": "vk",
    "external_id": "42",
    "body_id": "adm-test",
    "name": "ВК",
}
TG: dict[str, Any] = {
    "id": "tg-answers",
    "platform": "telegram",
    "external_id": "-1001",
    "body_id": "adm-test",
    "name": "Telegram",
    "secret": "webhook-secret",
    "bot_id": "7000",
    "discussion_id": "-1002",
}
VK_TOKEN = "vk1.a.community-token-0001"
TG_TOKEN = "123456:telegram-bot-token-0002"


def test_each_page_takes_its_own_platforms_token_masked_and_out_of_repr() -> None:
    vk = PageCreate.model_validate({**VK, "vk_access_token": VK_TOKEN}).to_page()
    tg = PageCreate.model_validate({**TG, "telegram_bot_token": TG_TOKEN}).to_page()

    assert (vk.vk_access_token, tg.telegram_bot_token) == (VK_TOKEN, TG_TOKEN)
    assert page_read(vk).vk_access_token == SecretRead(set=True, last4="0001")
    assert page_read(tg).telegram_bot_token == SecretRead(set=True, last4="0002")
    assert page_read(vk).telegram_bot_token == SecretRead(set=False)
    for page, token in ((vk, VK_TOKEN), (tg, TG_TOKEN)):
        assert token not in page_read(page).model_dump_json() and token not in repr(page)


@pytest.mark.parametrize(
    ("page", "changes", "message"),
    [
        (TG, {"vk_access_token": VK_TOKEN}, "has no vk_access_token"),
        (VK, {"telegram_bot_token": TG_TOKEN}, "has no telegram_bot_token"),
        (VK, {"vk_access_token": "has space-0001"}, "vk_access_token"),
        (TG, {"telegram_bot_token": ""}, "telegram_bot_token"),
    ],
)
def test_misfit_answer_tokens_are_refused_without_echo(
    page: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        PageCreate.model_validate({**page, **changes})

    for value in changes.values():
        assert not value or value not in str(caught.value)


def test_an_update_sets_and_clears_a_token() -> None:
    page = PageCreate.model_validate(VK).to_page()

    set_ = updated(page, PageUpdate(vk_access_token=VK_TOKEN)).to_page()
    cleared = updated(set_, PageUpdate(vk_access_token=None)).to_page()

    assert (set_.vk_access_token, cleared.vk_access_token) == (VK_TOKEN, None)


def test_the_shipped_seed_gives_vk_and_telegram_pages_their_tokens() -> None:
    pages = load_seed(PAGES_YAML).pages

    assert all(p.vk_access_token == f"demo-vk-token-{p.id}" for p in pages if p.platform == "vk")
    telegram = [p for p in pages if p.platform == "telegram"]
    # A Telegram token begins with its bot's id.
    assert telegram and all(
        (p.telegram_bot_token or "").startswith(f"{p.bot_id}:") for p in telegram
    )
