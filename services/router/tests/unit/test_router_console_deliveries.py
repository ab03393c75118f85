"""Answers' deliveries on the card: the state in Russian, and retry / mark-delivered for a
failed one, through `delivery_actions.decide` as the JSON API does."""

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from test_router_console_fakes import (
    APPEAL_ID,
    DELIVERY_ID,
    NOW,
    World,
    answer,
    as_user,
    console_client,
    delivery,
    make_world,
    row,
)

from appeals_common.events.delivery import DeliveryFailure
from router.actions import ActionForbidden, ActionRefused, AppealNotFound, InvalidTarget
from router.console import texts
from router.delivery_actions import DeliveryDecision
from router.domain.deliveries import Delivery, DeliveryRefused, DeliveryState, retry

CARD = f"/console/appeals/{APPEAL_ID}"
RETRY = f"{CARD}/deliveries/{DELIVERY_ID}/retry"
MARK = f"{CARD}/deliveries/{DELIVERY_ID}/mark-delivered"
HTMX = {"HX-Request": "true", "X-CSRF-Token": "tok"}


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_world(monkeypatch)
    w.rows = [row(status="answered", answered_at=NOW)]
    return w


@pytest.fixture
async def client(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with console_client(world) as test:
        yield test


def failed(reason: str = "blocked_by_user") -> dict[str, Any]:
    return delivery(state="failed", reason=reason, detail="VK 901: can't send messages")


def blocks(page: str) -> dict[str, str]:
    """Each delivery's block by its state."""
    found = re.findall(r'data-testid="delivery-state" data-state="(\w+)"', page)
    parts = page.split('data-testid="delivery"')[1:]
    return dict(zip(found, parts, strict=True))


async def test_the_card_shows_each_delivery_state_in_russian(
    client: httpx.AsyncClient, world: World
) -> None:
    url = "https://vk.com/wall-1_2?reply=3"
    world.answers = [
        answer(delivery(delivery_id=uuid.uuid4())),
        answer(delivery(delivery_id=uuid.uuid4(), state="delivered", reply_url=url, parts=3)),
        answer(failed()),
        answer(delivery(delivery_id=uuid.uuid4(), state="manual", decided_by="Смирнова Ольга")),
    ]
    page = (await as_user(client, "governor").get(CARD)).text
    by_state = blocks(page)
    assert set(by_state) == {"pending", "delivered", "failed", "manual"}
    assert ">отправляется<" in by_state["pending"]
    assert ">опубликован<" in by_state["delivered"] and "сообщений: 3" in by_state["delivered"]
    assert f'href="{url}" rel="noopener noreferrer" target="_blank"' in by_state["delivered"]
    assert ">не доставлен<" in by_state["failed"]
    assert "заявитель заблокировал сообщество или бота" in by_state["failed"]
    assert "VK 901: can&#39;t send messages" in by_state["failed"]
    assert ">доставлен иначе<" in by_state["manual"] and "Смирнова Ольга" in by_state["manual"]
    assert page.count('data-testid="delivery-link"') == 1  # only the published one


async def test_a_delivered_answer_without_a_web_link_shows_none(
    client: httpx.AsyncClient, world: World
) -> None:
    world.answers = [
        answer(delivery(state="delivered", reply_url=None, parts=1)),
        answer(delivery(delivery_id=uuid.uuid4(), state="delivered", reply_url="javascript:x")),
    ]
    page = (await as_user(client, "staff").get(CARD)).text
    assert 'data-testid="delivery-link"' not in page and "сообщений:" not in page


@pytest.mark.parametrize(
    ("who", "offered"), [("staff", True), ("operator", True), ("governor", False)]
)
async def test_a_failed_delivery_offers_decisions_to_roles_that_may(
    client: httpx.AsyncClient, world: World, who: str, offered: bool
) -> None:
    world.answers = [answer(failed())]
    page = (await as_user(client, who).get(CARD)).text
    assert 'data-state="failed"' in page
    buttons = ('data-testid="delivery-retry"', 'data-testid="delivery-mark"')
    assert all((b in page) is offered for b in buttons)
    if offered:
        assert f'action="{RETRY}"' in page and f'hx-post="{MARK}"' in page


@pytest.mark.parametrize("state", ["pending", "delivered", "manual"])
async def test_only_a_failed_delivery_has_buttons(
    client: httpx.AsyncClient, world: World, state: str
) -> None:
    world.answers = [answer(delivery(state=state))]
    page = (await as_user(client, "operator").get(CARD)).text
    assert 'data-testid="delivery-retry"' not in page and 'data-testid="delivery-mark"' not in page


async def test_an_unknown_outcome_warns_before_sending_again(
    client: httpx.AsyncClient, world: World
) -> None:
    world.answers = [answer(failed("outcome_unknown"))]
    page = (await as_user(client, "staff").get(CARD)).text
    assert "проверьте на площадке, прежде чем отправлять повторно" in page
    assert texts.t.delivery_retry_unknown in page


async def test_an_answer_to_the_site_or_call_centre_is_sent_by_the_source(
    client: httpx.AsyncClient, world: World
) -> None:
    world.answers = [answer()]
    assert 'data-testid="delivery-by-source"' not in (await as_user(client, "staff").get(CARD)).text
    world.rows = [row(status="answered", answered_at=NOW, platform="api")]
    page = (await as_user(client, "staff").get(CARD)).text
    assert 'data-testid="delivery-by-source"' in page and 'data-testid="delivery"' not in page


async def test_retry_calls_decide_and_shows_the_card(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await as_user(client, "staff").post(RETRY, headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert texts.t.delivery_retried in response.text
    assert world.decided == [(APPEAL_ID, DELIVERY_ID, DeliveryDecision.RETRY, None)]


async def test_mark_delivered_without_javascript_redirects_to_the_card(
    client: httpx.AsyncClient, world: World
) -> None:
    form = {"csrf": "tok", "comment": " позвонили по телефону "}
    response = await as_user(client, "operator").post(MARK, data=form)
    assert (response.status_code, response.headers["location"]) == (303, CARD)
    decision = (APPEAL_ID, DELIVERY_ID, DeliveryDecision.MARK_DELIVERED, "позвонили по телефону")
    assert world.decided == [decision]


async def test_a_decision_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    as_user(client, "staff")
    missing = await client.post(RETRY)
    wrong = await client.post(MARK, data={"csrf": "x"})
    assert (missing.status_code, wrong.status_code, world.decided) == (403, 403, [])


async def test_a_refusal_is_a_409_notice_in_russian(
    client: httpx.AsyncClient, world: World
) -> None:
    with pytest.raises(DeliveryRefused) as refused:
        retry(Delivery(DeliveryState.DELIVERED, 0))
    world.decide_error = ActionRefused(str(refused.value), world.rows[0])
    response = await as_user(client, "staff").post(RETRY, headers=HTMX)
    assert response.status_code == 409
    assert "Действие невозможно: повторить можно только неудавшуюся доставку." in response.text


@pytest.mark.parametrize(
    ("error", "status", "text"),
    [
        (AppealNotFound("no"), 404, texts.t.not_found),
        (ActionForbidden("no"), 403, texts.t.forbidden),
        (InvalidTarget("no"), 404, texts.t.delivery_not_found),
    ],
)
async def test_errors_map_to_the_consoles_pages(
    client: httpx.AsyncClient, world: World, error: Exception, status: int, text: str
) -> None:
    world.decide_error = error
    response = await as_user(client, "staff").post(MARK, data={"csrf": "tok"})
    assert response.status_code == status and text in response.text


async def test_an_unknown_decision_or_a_too_long_comment_calls_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    as_user(client, "staff")
    bogus = await client.post(f"{CARD}/deliveries/{DELIVERY_ID}/resend", data={"csrf": "tok"})
    long = await client.post(MARK, data={"csrf": "tok", "comment": "я" * 2001})
    assert (bogus.status_code, long.status_code, world.decided) == (404, 422, [])


def test_every_state_failure_and_decision_has_russian_text() -> None:
    assert set(texts.DELIVERY) == {s.value for s in DeliveryState}
    assert set(texts.FAILURE) == {f.value for f in DeliveryFailure}
    assert all(f"delivery_{d.value}" in texts.ACTION for d in DeliveryDecision)


async def test_the_answers_refresh_themselves_only_while_a_delivery_is_on_its_way(
    client: httpx.AsyncClient, world: World
) -> None:
    answers = f"{CARD}/answers"
    world.answers = [answer(delivery())]  # pending
    card = (await as_user(client, "staff").get(CARD)).text
    assert f'hx-get="{answers}" hx-trigger="every 3s"' in card

    world.answers = [answer(delivery(state="delivered", reply_url="https://vk.com/wall-1_2"))]
    sla_calls = len(world.sla_auth)
    block = await as_user(client, "staff").get(answers, headers={"HX-Request": "true"})
    assert len(world.sla_auth) == sla_calls  # every 3 s: no call to the SLA monitor
    assert block.status_code == 200
    assert 'id="answers"' in block.text
    assert ">опубликован<" in block.text and "hx-trigger" not in block.text  # stops asking
    assert "<html" not in block.text  # a fragment for htmx to swap in


async def test_the_answers_block_is_for_those_who_see_the_appeal(
    client: httpx.AsyncClient, world: World
) -> None:
    world.answers = [answer(delivery())]
    assert (await as_user(client, "other-staff").get(f"{CARD}/answers")).status_code == 404
    assert (await as_user(client, "admin").get(f"{CARD}/answers")).status_code == 403
    assert (await as_user(client, "governor").get(f"{CARD}/answers")).status_code == 200
