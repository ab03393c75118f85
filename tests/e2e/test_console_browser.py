"""The operator console end to end in headless chromium: one user journey per test.

The pages run against the four services, the dev IdP, Kafka and PostgreSQL of the test profile;
what a page shows is checked against the router's JSON API. The journeys save the screenshots
docs/console.md shows (docs/console/*.png). The services run with a 3 s SLA target, so an
appeal is overdue before anyone answers it: answered, its clock reads `answered_late`.
"""

import re
from datetime import timedelta

import pytest
from playwright.async_api import Locator, Page, expect

from router.console.texts import t
from tests.e2e.browser_support import Console, poll, screenshot
from tests.e2e.browser_support import find_in_queue as in_queue

pytestmark = pytest.mark.e2e

TRIAGE = "cur-ivanovo"
ROADS = "ivanovo-roads"
VAGUE = "Добрый день. Прошу разобраться с ситуацией у нашего дома, третий месяц без ответа"
ROAD_HOLES = (
    "На улице Лежневской яма на дороге, машины бьют колёса",
    "Во дворе дома 12 по улице Кузнецова разбита дорога, сплошные ямы",
)
ANSWER = "Здравствуйте! Ямочный ремонт у вашего дома выполнят до конца недели."
ANSWERED = ("answered_in_time", "answered_late")
SELECTED = re.compile(r"\bselected\b")
# The triage page lists only the first 100 open appeals (soonest deadline first, the deadline
# counted from when the resident wrote), without paging, and the shared test database collects
# hundreds from other runs: so the triage journeys' residents wrote a week ago.
A_WEEK = timedelta(days=7)


def _card(page: Page, test_id: str) -> Locator:
    return page.locator("#card").get_by_test_id(test_id)


async def _clock_stops(page: Page, timeout_s: float = 30) -> str:
    """The card's SLA state once the monitor has stopped the clock, reloading the card."""
    seen: list[str | None] = []

    async def answered() -> str | None:
        await page.reload()
        seen.append(await _card(page, "sla-state").get_attribute("data-state"))
        return seen[-1] if seen[-1] in ANSWERED else None

    try:
        return await poll(answered, timeout_s)
    except TimeoutError:
        empty = seen[-1:] == [""]  # "нет данных": the router got no clock from the monitor
        hint = " (no data: does the router's ROUTER_SLA_URL reach the monitor?)" if empty else ""
        raise AssertionError(f"the card's SLA state stayed {seen[-1:]}{hint}") from None


async def test_triage_sends_a_vague_appeal_to_an_agency_which_answers_it(
    console: Console,
) -> None:
    appeal_id = await console.post_appeal(VAGUE, age=A_WEEK)
    appeal = await console.api.routed(appeal_id)
    assert appeal["agency_id"] == TRIAGE, appeal["reason"]

    async with console.signed_in("cur-operator", login_shot="login.png") as page:
        await page.click("#nav-triage")
        row = page.locator(f'[data-testid=triage-row][data-appeal-id="{appeal_id}"]')
        await row.get_by_test_id("open-appeal").click()
        await expect(page.locator("#card")).to_have_attribute("data-appeal-id", appeal_id)
        await page.select_option("#reassign-agency", ROADS)
        await page.fill("#reassign-topic", "roads.repair")
        await page.fill("#reassign-comment", "Разбитая дорога во дворе")
        await _card(page, "reassign").click()
        await expect(_card(page, "notice")).to_have_text(t.done)
    moved = await console.api.appeal(appeal_id)
    assert moved is not None
    assert (moved["agency_id"], moved["status"]) == (ROADS, "routed")

    async with console.signed_in("roads-staff") as page:
        # Site-form appeals only (platform "api"): the shared test database holds thousands of
        # open appeals from other runs. By URL, as the form's platforms have no "api".
        await page.goto(console.url("/console/?platform=api"))
        assert await in_queue(page, appeal_id)
        await screenshot(page, "queue.png")
        row = page.locator(f'[data-testid=queue-row][data-appeal-id="{appeal_id}"]')
        await row.get_by_test_id("open-appeal").click()
        status = _card(page, "appeal-status")
        await _card(page, "claim").click()
        await expect(status).to_have_attribute("data-status", "claimed")
        await expect(_card(page, "appeal-holder")).to_contain_text("Кузнецов Андрей Павлович")
        await page.fill("#answer-text", ANSWER)
        await _card(page, "answer").click()
        await expect(status).to_have_attribute("data-status", "answered")
        await expect(_card(page, "answer-item")).to_contain_text(ANSWER)
        assert await _clock_stops(page) in ANSWERED
        await screenshot(page, "card.png")

    async with console.signed_in("zhkh-staff") as page:
        await page.goto(console.url("/console/?status=answered"))  # where it would be
        assert not await in_queue(page, appeal_id)
        response = await page.goto(console.url(f"/console/appeals/{appeal_id}"))
        assert response is not None and response.status == 404
        await expect(page.get_by_test_id("error-message")).to_have_text(t.not_found)


async def test_the_governors_office_reads_the_overview_but_cannot_triage(
    console: Console,
) -> None:
    appeal_id = await console.post_appeal(ROAD_HOLES[0])
    agency_id = (await console.api.routed(appeal_id))["agency_id"]

    async with console.signed_in("governor") as page:
        await expect(page.locator("#nav-triage")).to_have_count(0)
        await page.click("#nav-overview")
        table = page.get_by_test_id("overview-table")
        row = table.locator(f'[data-testid=overview-row][data-agency-id="{agency_id}"]')
        assert int(await row.get_by_test_id("overview-open").inner_text()) >= 1
        await expect(table.locator(f'[data-agency-id="{TRIAGE}"]')).to_have_count(1)
        await expect(page.locator("main form, main button")).to_have_count(0)
        await screenshot(page, "overview.png")

        await page.goto(console.url(f"/console/appeals/{appeal_id}"))
        await expect(_card(page, "appeal-text")).to_have_text(ROAD_HOLES[0])
        await expect(page.locator("#card .actions form")).to_have_count(0)

        response = await page.goto(console.url("/console/triage"))
        assert response is not None and response.status == 403
        await expect(page.get_by_test_id("error-message")).to_have_text(t.forbidden)

        await page.get_by_test_id("logout").click()  # the session ends here and at the IdP
        await page.get_by_test_id("login-link").click()
        await page.wait_for_url(f"{console.idp_url}/authorize?**")


async def _select(page: Page, appeal_id: str) -> None:
    """From the first row, where the page puts the selection, walk down to the appeal with `j`."""
    await page.wait_for_load_state("domcontentloaded")
    ids = await page.get_by_test_id("triage-row").evaluate_all(
        "rows => rows.map(row => row.dataset.appealId)"
    )
    await expect(page.locator(".triage-row.selected")).to_have_attribute("data-appeal-id", ids[0])
    for _ in range(ids.index(appeal_id)):
        await page.keyboard.press("j")
    row = page.locator(f'[data-testid=triage-row][data-appeal-id="{appeal_id}"]')
    await expect(row).to_have_class(SELECTED)


async def test_triage_keyboard_moves_the_selection_and_reassigns(console: Console) -> None:
    mine = [await console.post_appeal(text, age=A_WEEK) for text in ROAD_HOLES]
    for appeal_id in mine:  # the agency sends both back: they are not its own, it says
        assert (await console.api.routed(appeal_id))["agency_id"] == ROADS
        comment = {"comment": "Дорога во дворе — не наша, это территория УК"}
        await console.api.act(appeal_id, "return", "roads-staff", comment)

    async with console.signed_in("cur-operator") as page:
        await page.click("#nav-triage")
        rows = page.get_by_test_id("triage-row")
        for appeal_id in mine:
            await expect(rows.and_(page.locator(f'[data-appeal-id="{appeal_id}"]'))).to_be_visible()
        ids = await rows.evaluate_all("rows => rows.map(row => row.dataset.appealId)")
        earlier, later = sorted(mine, key=ids.index)
        row = page.locator(f'[data-testid=triage-row][data-appeal-id="{later}"]')

        await _select(page, later)  # at least one `j`: the later row is not the first
        await page.keyboard.press("k")
        await expect(row).not_to_have_class(SELECTED)
        await page.keyboard.press("j")
        await expect(row).to_have_class(SELECTED)
        await screenshot(page, "triage.png")
        second = await row.get_by_test_id("suggestion").nth(1).get_attribute("data-agency-id")
        await page.keyboard.press("2")
        await expect(page).to_have_url(console.url("/console/triage"))
        await expect(row).to_have_count(0)  # back on the triage page, without it

        row = page.locator(f'[data-testid=triage-row][data-appeal-id="{earlier}"]')
        await _select(page, earlier)
        first = await row.get_by_test_id("suggestion").first.get_attribute("data-agency-id")
        await page.keyboard.press("a")
        await expect(page).to_have_url(console.url("/console/triage"))
        await expect(row).to_have_count(0)

    for appeal_id, agency_id in ((later, second), (earlier, first)):
        appeal = await console.api.appeal(appeal_id)
        assert appeal is not None
        assert (appeal["agency_id"], appeal["status"]) == (agency_id, "routed")


LEAKING_ROOF = (
    "Дом 15 по улице Садовой, третий год протекает крыша, управляющая компания не отвечает"
)


async def test_the_card_says_why_a_house_went_to_its_management_companys_overseer(
    console: Console,
) -> None:
    appeal_id = await console.post_appeal(LEAKING_ROOF)
    appeal = await console.api.routed(appeal_id)
    explanation = appeal["explanation"]
    assert explanation["step"] == "house", explanation
    assert explanation["executor"] is not None, explanation  # reached through its overseer

    async with console.signed_in("cur-operator") as page:
        await page.goto(console.url(f"/console/appeals/{appeal_id}"))
        reason = _card(page, "routing-reason")
        await expect(reason).to_contain_text("дом обслуживает управляющая организация")
        await expect(reason).to_contain_text("Исполнитель (через курирующий орган)")
        await expect(reason).to_contain_text("Садов")  # the street as the resident wrote it
        await expect(_card(page, "appeal-agency")).not_to_be_empty()
        await screenshot(page, "card-routing.png")
