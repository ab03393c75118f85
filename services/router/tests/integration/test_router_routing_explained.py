"""Every assignment keeps why it went where it did: the API gives it as data, the card says it
in Russian, under the directory version it was routed by."""

import uuid
from collections.abc import AsyncIterator

import pytest
from router_support import caller, classified_event, router_app

from router.handlers import handle_appeal_classified
from router.main import app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


async def _route(text: str, topic: str) -> uuid.UUID:
    event = classified_event(f"{text} ({uuid.uuid4().hex[:6]})", topic)
    await handle_appeal_classified(event, app.state.service.deps)
    return event.payload.appeal.appeal_id


async def test_a_named_school_is_explained_as_named(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id = await _route("в школе № 5 не кормят детей", "education.schools")

    async with caller(identity.headers("cur-operator")) as operator:
        appeal = (await operator.get(f"/v1/appeals/{appeal_id}")).json()["appeal"]

    assert appeal["agency_id"] == "ivanovo-school-5"
    assert appeal["explanation"]["step"] == "named"
    assert any("школе № 5" in p for p in appeal["explanation"]["places"])
    assert appeal["directory_version"] == app.state.service.deps.directory.version


async def test_a_house_shows_the_company_behind_its_overseer_on_the_card(running, identity) -> None:  # type: ignore[no-untyped-def]
    directory = app.state.service.deps.directory
    company = next(b for b in directory.agencies if b.kind.value == "management_company"
                   and b.serves and b.serves[0].houses and b.serves[0].houses.ranges)  # fmt: skip
    served = company.serves[0]
    assert served.houses is not None
    text = f"{served.street}, д. {served.houses.ranges[0][0]}: течёт крыша, УК не отвечает"
    appeal_id = await _route(text, "housing.management")
    cookies = {"Cookie": f"appeals_session={identity.token('cur-operator')}"}

    async with caller(cookies) as console:
        card = (await console.get(f"/console/appeals/{appeal_id}")).text

    assert card.count('class="why-here"') == 1
    assert "дом обслуживает управляющая организация" in card
    assert f"Исполнитель (через курирующий орган): {company.name}" in card.replace("&#34;", '"')
