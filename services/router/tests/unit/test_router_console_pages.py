"""The console's pages on fakes: no database, no identity provider."""

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from test_router_console_fakes import (
    APPEAL_ID,
    NOW,
    World,
    as_user,
    console_client,
    make_world,
    row,
)

from router.console import texts


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    return make_world(monkeypatch)


@pytest.fixture
async def client(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with console_client(world) as test:
        yield test


async def test_a_page_without_a_session_goes_to_the_login(client: httpx.AsyncClient) -> None:
    assert (await client.get("/console/")).headers["location"] == "/console/login"
    as_user(client, "forged")
    assert (await client.get("/console/appeals/" + str(APPEAL_ID))).status_code == 303
    partial = await client.get("/console/queue/list", headers={"HX-Request": "true"})
    assert (partial.status_code, partial.headers["hx-redirect"]) == (401, "/console/login")


async def test_the_queue_shows_the_callers_appeals_in_russian(
    client: httpx.AsyncClient, world: World
) -> None:
    page = await as_user(client, "staff").get(
        "/console/?status=claimed&claimed=me&urgent=1&agency=x"
    )
    assert page.status_code == 200
    assert "Мои обращения" in page.text and "Яма на улице Ленина" in page.text
    assert f'data-appeal-id="{APPEAL_ID}"' in page.text
    assert 'data-testid="count-open">7<' in page.text
    assert 'hx-trigger="every 15s"' in page.text
    # Staff see their agency only; an agency outside it narrows to nothing, as in the API.
    queue = world.filters[-1]
    assert (queue.status, queue.claimed, queue.urgent, queue.agencies) == (
        "claimed",
        "me",
        True,
        frozenset(),
    )
    await as_user(client, "staff").get("/console/queue/list?status=bogus")
    assert (world.filters[-1].status, world.filters[-1].agencies) == (
        "open",
        frozenset({"ivanovo-roads"}),
    )


async def test_the_card_shows_status_sla_and_the_roles_actions(
    client: httpx.AsyncClient, world: World
) -> None:
    card_page = await as_user(client, "staff").get(f"/console/appeals/{APPEAL_ID}")
    assert card_page.status_code == 200
    assert 'data-testid="appeal-status" data-status="routed">Новое<' in card_page.text
    assert "просрочено" in card_page.text and world.sla_auth == ["Bearer staff"]
    assert (
        'data-testid="claim"' in card_page.text and 'data-testid="reassign"' not in card_page.text
    )
    assert "Ямочный ремонт запланирован" in card_page.text  # the agency's answer template
    world.sla = httpx.Response(503)
    operator = await as_user(client, "operator").get(f"/console/appeals/{APPEAL_ID}")
    assert 'data-testid="reassign"' in operator.text and "нет данных" in operator.text


async def test_a_closed_appeal_offers_only_a_note(client: httpx.AsyncClient, world: World) -> None:
    world.rows = [row(status="answered", answered_at=NOW)]
    page = (await as_user(client, "operator").get(f"/console/appeals/{APPEAL_ID}")).text
    offered = {
        b
        for b in ("claim", "release", "answer", "reassign", "return", "merge", "note")
        if f'data-testid="{b}"' in page
    }
    assert offered == {"note"}


async def test_release_is_offered_only_for_a_claimed_appeal(
    client: httpx.AsyncClient, world: World
) -> None:
    page = (await as_user(client, "staff").get(f"/console/appeals/{APPEAL_ID}")).text
    assert 'data-testid="release"' not in page
    holder = {
        "holder_sub": "s-1",
        "holder_name": "Кузнецов",
        "holder_until": NOW + timedelta(days=9999),
    }
    world.rows = [row(status="claimed", **holder)]
    page = (await as_user(client, "staff").get(f"/console/appeals/{APPEAL_ID}")).text
    assert 'data-testid="release"' in page


async def test_an_appeal_of_another_agency_is_not_found(
    client: httpx.AsyncClient, world: World
) -> None:
    world.rows = [row(agency_id="kineshma-admin")]
    page = await as_user(client, "staff").get(f"/console/appeals/{APPEAL_ID}")
    assert page.status_code == 404 and texts.t.not_found in page.text


async def test_triage_is_for_operators_and_ranks_the_page_bodys_territory_first(
    client: httpx.AsyncClient, world: World
) -> None:
    assert (await as_user(client, "staff").get("/console/triage")).status_code == 403
    world.rows = [row(agency_id="cur-ivanovo", page_id="vk:-220003", body_id="adm-kineshma")]
    page = await as_user(client, "operator").get("/console/triage")
    assert page.status_code == 200 and "j / k" in page.text
    assert world.filters[-1].agencies == frozenset({"cur-ivanovo"})
    offered = [
        c.split('"')[0] for c in page.text.split('data-testid="suggestion" data-agency-id="')[1:]
    ]
    kineshma = [i for i, body in enumerate(offered) if body.startswith("kineshma-")]
    assert offered[0] == "kineshma-admin" and "region-roads" in offered
    assert max(kineshma) < offered.index("region-roads")  # the page's town before the region


async def test_the_overview_is_region_wide_only(client: httpx.AsyncClient) -> None:
    assert (await as_user(client, "staff").get("/console/overview")).status_code == 403
    page = await as_user(client, "governor").get("/console/overview")
    assert page.status_code == 200 and "Управление благоустройства и дорожного" in page.text


async def test_the_version_poll_warns_of_a_change_or_another_holder(
    client: httpx.AsyncClient, world: World
) -> None:
    as_user(client, "staff")
    assert (
        "version-banner" not in (await client.get(f"/console/appeals/{APPEAL_ID}/version?v=3")).text
    )
    assert "изменилось" in (await client.get(f"/console/appeals/{APPEAL_ID}/version?v=2")).text
    world.rows = [
        row(
            status="claimed",
            holder_sub="x",
            holder_name="Петрова Анна",
            holder_until=NOW + timedelta(minutes=5),
        )
    ]
    assert "Петрова Анна" in (await client.get(f"/console/appeals/{APPEAL_ID}/version?v=3")).text


@pytest.mark.parametrize(
    "reason",
    [
        "the appeal is already answered",
        "the appeal is already with a-1 under roads.repair",
        "the appeal is not held by anyone",
    ],
)
async def test_every_lifecycle_refusal_has_a_russian_text(reason: str) -> None:
    assert not texts.refusal(reason).startswith("Действие невозможно")


async def test_static_files_are_served_locally(client: httpx.AsyncClient) -> None:
    assert (await client.get("/console/static/console.js")).status_code == 200
    assert (await client.get("/console/static/vendor/htmx.min.js")).status_code == 200


async def test_triage_offers_the_bodies_routing_could_not_choose_between_first(
    client: httpx.AsyncClient, world: World
) -> None:
    weighed = {"step": "triage", "considered": [
        {"body_id": "shuya-school-2", "why": "named, as good a candidate"},
        {"body_id": "kineshma-school-2", "why": "named, as good a candidate"},
    ]}  # fmt: skip
    world.rows = [row(agency_id="cur-ivanovo", topic="education.schools",
                      body_id="gov-ivanovo-region", explanation=json.dumps(weighed))]  # fmt: skip

    page = (await as_user(client, "operator").get("/console/triage")).text

    offered = page.split('data-testid="suggestion" data-agency-id="')[1:]
    assert [c.split('"')[0] for c in offered[:2]] == ["shuya-school-2", "kineshma-school-2"]


async def test_the_queue_badges_the_latest_sla_step_and_the_card_lists_the_steps(
    client: httpx.AsyncClient, world: World
) -> None:
    world.rows = [row(sla_step="escalation-2", breached_at=NOW)]
    world.sla = httpx.Response(200, json={
        "state": "overdue", "deadline": "2026-03-02T10:00:00Z", "policy_id": "standard",
        "steps": [
            {"step": "breach", "target": "first_response", "recipient": "head",
             "due_at": "2026-03-02T10:00:00Z", "fired_at": "2026-03-02T10:00:01Z"},
            {"step": "escalation-1", "target": "first_response", "recipient": "cur_supervisor",
             "due_at": "2026-03-02T12:00:00Z", "fired_at": None},
        ],
    })  # fmt: skip

    queue = await as_user(client, "operator").get("/console/")
    card = await as_user(client, "operator").get(f"/console/appeals/{APPEAL_ID}")

    assert 'data-step="escalation-2">эскалация 2<' in queue.text
    assert 'data-step="breach" data-fired="yes">просрочено — руководителю ведомства' in card.text
    assert 'data-step="escalation-1" data-fired="no">эскалация 1 — руководителю ЦУР' in card.text
    assert "политика: standard" in card.text


def test_every_step_has_a_russian_name() -> None:
    names = [texts.step_name(s) for s in ("warning-50", "breach", "escalation-3", "resolution")]

    assert names == ["50 % срока", "просрочено", "эскалация 3", "нет окончательного ответа"]
