"""An answer given in the console on its way to the resident's platform, in headless chromium.

A resident writes on VK or Telegram (webhooks to the running ingest); an operator answers in
the card; the delivery worker posts the answer to the fake platforms (tools/fake_platforms).
What the card shows is checked against the router's JSON API, and what the platform got against
the fake's ledger. The open card shows the outcome by itself: while a delivery is on its way its
answers ask for themselves again every 3 s. Screenshots: docs/console/card-delivered.png and
card-delivery-failed.png.
"""

from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from router.console.texts import ACTION, DELIVERY, FAILURE, t
from tests.e2e.browser_support import Console, screenshot
from tests.e2e.delivery_support import VK_GROUP, World, unique

pytestmark = pytest.mark.e2e

ROADS = "ivanovo-roads"
CUR_OPERATOR = "Смирнова Ольга Викторовна"  # cur-operator's name (config/dev-users.yaml)


def _card(page: Page, test_id: str) -> Locator:
    return page.locator("#card").get_by_test_id(test_id)


async def _open_card(console: Console, page: Page, appeal_id: str) -> None:
    """Open the appeal's card by its link. Not through the queue: the shared test database's
    VK queues hold thousands of open appeals from other runs, and a fresh one, due last, is
    beyond the pages a test can walk (test_console_browser.py walks the site form's queue)."""
    await page.goto(console.url(f"/console/appeals/{appeal_id}"))
    await expect(page.locator("#card")).to_have_attribute("data-appeal-id", appeal_id)


async def _answer(page: Page, text: str) -> None:
    """Write the answer in the card's form and send it; the card shows it on its way."""
    await page.fill("#answer-text", text)
    await _card(page, "answer").click()
    await expect(_card(page, "appeal-status")).to_have_attribute("data-status", "answered")
    await expect(_card(page, "answer-item")).to_contain_text(text)
    await _state_is(page, "pending")


async def _state_is(page: Page, state: str, timeout_ms: float = 5_000) -> None:
    badge = _card(page, "delivery-state")
    await expect(badge).to_have_attribute("data-state", state, timeout=timeout_ms)
    await expect(badge).to_have_text(DELIVERY[state])


async def _shown_at(page: Page, world: World, appeal_id: str, state: str) -> dict[str, Any]:
    """Once the router has the delivery in `state`, the open card shows it without a reload
    (its next refresh, within 3 s); the delivery."""
    delivery = await world.delivery(appeal_id, state)
    await _state_is(page, state, timeout_ms=10_000)
    return delivery


async def test_an_answer_to_a_vk_comment_is_published_as_a_reply_under_it(
    console: Console, world: World
) -> None:
    text = "На улице Лежневской яма на дороге, машины бьют колёса"
    comment, appeal_id = await world.vk_comment(text)
    console.posted.append(appeal_id)  # answered by the tidy-up if the journey stops early
    assert (await console.api.routed(appeal_id))["agency_id"] == ROADS
    answer = f"Здравствуйте! Яму на Лежневской заделают до пятницы. ({unique()})"

    async with console.signed_in("roads-staff") as page:
        await _open_card(console, page, appeal_id)
        await expect(_card(page, "appeal-text")).to_have_text(text)
        await _answer(page, answer)
        delivery = await _shown_at(page, world, appeal_id, "delivered")
        link = _card(page, "delivery-link")
        await expect(link).to_have_text(t.delivery_link)
        await expect(link).to_have_attribute("href", delivery["reply_url"])
        await expect(link).to_have_attribute("target", "_blank")
        await expect(_card(page, "delivery-retry")).to_have_count(0)
        await expect(_card(page, "delivery-mark")).to_have_count(0)
        await screenshot(page, "card-delivered.png")

    [posted] = await world.posted("vk", answer)  # one reply, under the resident's comment
    assert (posted["method"], posted["target"]) == ("wall.createComment", f"wall-{VK_GROUP}_11")
    assert posted["reply_to"] == str(comment)
    assert posted["reply_id"] == delivery["reply_id"]
    reply_comment = posted["reply_id"].rsplit("/", 1)[1]
    assert delivery["reply_url"].endswith(f"wall-{VK_GROUP}_11?reply={reply_comment}")


async def test_an_answer_the_resident_blocked_is_marked_delivered_another_way(
    console: Console, world: World
) -> None:
    chat, appeal_id = await world.tg_private("Во дворе на Лежневской 120 не вывезли мусор")
    console.posted.append(appeal_id)
    await world.fake("telegram", "block", target=str(chat))  # the resident blocked the bot
    await console.api.routed(appeal_id)
    answer = f"Мусор вывезут сегодня до 18:00. ({unique()})"
    comment = f"Сообщили по телефону ({unique()})"

    async with console.signed_in("cur-operator") as page:
        await _open_card(console, page, appeal_id)
        await _answer(page, answer)
        await _shown_at(page, world, appeal_id, "failed")
        reason = _card(page, "delivery-reason")
        await expect(reason).to_have_attribute("data-reason", "blocked_by_user")
        await expect(reason).to_have_text(FAILURE["blocked_by_user"])
        detail = page.locator("#card .delivery-detail")
        await expect(detail).to_contain_text("bot was blocked by the user")  # the platform's own
        await expect(_card(page, "delivery-retry")).to_have_text(t.delivery_retry)
        await expect(_card(page, "delivery-mark")).to_have_text(t.delivery_mark)
        await screenshot(page, "card-delivery-failed.png")

        form = _card(page, "form-delivery-mark")
        await form.get_by_label(t.delivery_mark_comment).fill(comment)
        await _card(page, "delivery-mark").click()
        await expect(_card(page, "notice")).to_have_text(t.delivery_marked)
        await _state_is(page, "manual")
        await expect(_card(page, "delivery")).to_contain_text(CUR_OPERATOR)
        await expect(_card(page, "delivery-retry")).to_have_count(0)
        await expect(_card(page, "history")).to_contain_text(
            f"{ACTION['delivery_mark_delivered']} — «{comment}»"
        )

    await world.delivery(appeal_id, "manual")
    assert await world.posted("telegram", answer) == []  # nothing reached the blocked chat


async def test_an_answer_refused_by_the_platform_is_sent_again_from_the_card(
    console: Console, world: World
) -> None:
    text = "Во дворе дома 12 по улице Кузнецова разбита дорога, сплошные ямы"
    comment, appeal_id = await world.vk_comment(text)
    console.posted.append(appeal_id)
    assert (await console.api.routed(appeal_id))["agency_id"] == ROADS
    answer = f"Двор включён в план ремонта, работы начнутся в мае. ({unique()})"

    async with console.signed_in("roads-staff") as page:
        await _open_card(console, page, appeal_id)
        # VK's front fails (retried by the worker), then VK refuses: the community lacked the
        # right to comment. Somebody fixes the community's settings; the operator sends again.
        await world.fake("vk", "faults", faults=["server_error", "access_denied"])
        await _answer(page, answer)
        await _shown_at(page, world, appeal_id, "failed")
        reason = _card(page, "delivery-reason")
        await expect(reason).to_have_attribute("data-reason", "access_denied")
        await expect(reason).to_have_text(FAILURE["access_denied"])
        assert await world.posted("vk", answer) == []

        await _card(page, "delivery-retry").click()
        await expect(_card(page, "notice")).to_have_text(t.delivery_retried)
        await _state_is(page, "pending")
        await expect(_card(page, "delivery")).to_contain_text(t.delivery_round.format(n=2))
        await expect(_card(page, "history")).to_contain_text(ACTION["delivery_retry"])
        delivery = await _shown_at(page, world, appeal_id, "delivered")
        link = _card(page, "delivery-link")
        await expect(link).to_have_attribute("href", delivery["reply_url"])

    [posted] = await world.posted("vk", answer)
    assert posted["reply_to"] == str(comment) and posted["reply_id"] == delivery["reply_id"]
