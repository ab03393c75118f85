"""The card's actions: forms into commands through `act`, CSRF, and the Russian notices."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from test_router_console_fakes import APPEAL_ID, World, as_user, console_client, make_world, row

from router.actions import ActionRefused, ActionResult, StaleVersion
from router.console import action_routes
from router.domain.commands import Answer, Claim


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    return make_world(monkeypatch)


@pytest.fixture
async def client(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with console_client(world) as test:
        yield test


async def test_an_action_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    as_user(client, "staff", csrf="tok")
    refused = await client.post(f"/console/appeals/{APPEAL_ID}/claim", data={"version": "3"})
    wrong = await client.post(
        f"/console/appeals/{APPEAL_ID}/claim", data={"version": "3", "csrf": "x"}
    )
    assert (refused.status_code, wrong.status_code, world.acted) == (403, 403, [])


async def test_an_action_builds_the_command_and_calls_act(
    client: httpx.AsyncClient, world: World
) -> None:
    as_user(client, "staff")
    plain = await client.post(
        f"/console/appeals/{APPEAL_ID}/claim", data={"version": "3", "csrf": "tok"}
    )
    assert (plain.status_code, plain.headers["location"]) == (303, f"/console/appeals/{APPEAL_ID}")
    command, version = world.acted[-1]
    assert isinstance(command, Claim) and command.actor.subject == "s-1" and version == 3
    htmx = await client.post(
        f"/console/appeals/{APPEAL_ID}/claim",
        data={"version": "3"},
        headers={"HX-Request": "true", "X-CSRF-Token": "tok"},
    )
    assert htmx.status_code == 200 and "Готово." in htmx.text and "<html" not in htmx.text


async def test_a_stale_version_shows_the_current_card(
    client: httpx.AsyncClient, world: World
) -> None:
    world.act_error = StaleVersion(world.rows[0])
    page = await as_user(client, "staff").post(
        f"/console/appeals/{APPEAL_ID}/claim", data={"version": "2", "csrf": "tok"}
    )
    assert page.status_code == 409
    assert "Обращение изменил другой сотрудник — показано текущее состояние" in page.text
    assert 'name="version" value="3"' in page.text


async def test_a_refusal_is_shown_in_russian_with_the_holders_name(
    client: httpx.AsyncClient, world: World
) -> None:
    world.act_error = ActionRefused("the appeal is held by Иванов Иван", world.rows[0])
    page = await as_user(client, "staff").post(
        f"/console/appeals/{APPEAL_ID}/answer", data={"version": "3", "csrf": "tok", "text": "Да"}
    )
    assert page.status_code == 409 and "Обращение в работе у сотрудника: Иванов Иван." in page.text


async def test_an_empty_answer_is_refused_by_the_apis_schema(
    client: httpx.AsyncClient, world: World
) -> None:
    page = await as_user(client, "staff").post(
        f"/console/appeals/{APPEAL_ID}/answer", data={"version": "3", "csrf": "tok", "text": ""}
    )
    assert page.status_code == 422 and world.acted == []


@pytest.mark.parametrize(("ticked", "interim"), [({"interim": "1"}, True), ({}, False)])
async def test_the_interim_box_makes_the_answer_interim(
    client: httpx.AsyncClient, world: World, ticked: dict[str, str], interim: bool
) -> None:
    form = {"version": "3", "csrf": "tok", "text": "Приняли в работу", **ticked}

    await as_user(client, "staff").post(f"/console/appeals/{APPEAL_ID}/answer", data=form)

    [(command, _)] = world.acted
    assert isinstance(command, Answer) and command.interim is interim


async def test_an_appeal_moved_out_of_sight_sends_htmx_back_to_the_queue(
    client: httpx.AsyncClient, world: World
) -> None:
    async def act(*_: Any) -> Any:
        world.rows = [row(agency_id="cur-ivanovo", status="returned")]
        return ActionResult(world.rows[0])

    action_routes.act = act  # type: ignore[assignment]  # restored by the world fixture
    response = await as_user(client, "staff").post(
        f"/console/appeals/{APPEAL_ID}/return",
        data={"version": "3", "comment": "не наше"},
        headers={"HX-Request": "true", "X-CSRF-Token": "tok"},
    )
    assert (response.status_code, response.headers["hx-redirect"]) == (200, "/console/")
