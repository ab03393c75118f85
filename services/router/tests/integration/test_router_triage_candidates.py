"""Triage with the classifier's likeliest topics: stored with the appeal, shown first on the
triage page with the agency each would go to, and one click moves the appeal there under that
topic, which the classifier gets back as a label."""

import json
import re
import uuid
from collections.abc import AsyncIterator

import pytest
from router_support import caller, classified_event, router_app

from appeals_common.events import ClassificationCorrected, TopicCandidate, decode_event
from appeals_common.testing import TopicReader
from appeals_common.topics import CLASSIFICATION_CORRECTIONS
from router.handlers import handle_appeal_classified
from router.main import app

pytestmark = pytest.mark.integration
CSRF = "triage-csrf"
CANDIDATES = (
    TopicCandidate(topic="housing.management", topic_name="Управляющие компании", probability=0.41),
    TopicCandidate(topic="housing.water", topic_name="Водоснабжение", probability=0.33),
    TopicCandidate(topic="roads.repair", topic_name="Дороги", probability=0.12),
)


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


async def _unsure_appeal() -> uuid.UUID:
    """An appeal the classifier could not place: in the ЦУР triage queue, with candidates."""
    text = f"В парадной из продухов течёт, люк во дворе открыт ({uuid.uuid4().hex[:6]})"
    event = classified_event(text, "other", confidence=0.41, candidates=CANDIDATES)
    await handle_appeal_classified(event, app.state.service.deps)
    return event.payload.appeal.appeal_id


async def test_the_candidates_are_kept_with_the_appeal(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id = await _unsure_appeal()
    async with caller(identity.headers("cur-operator")) as operator:
        card = (await operator.get(f"/v1/appeals/{appeal_id}")).json()
    assert card["appeal"]["agency_id"] == "cur-ivanovo"
    assert [c["topic"] for c in card["appeal"]["candidates"]] == [c.topic for c in CANDIDATES]
    assert card["appeal"]["candidates"][0]["probability"] == pytest.approx(0.41)


async def test_one_click_on_a_candidate_moves_the_appeal_under_that_topic(
    running, infra, identity
) -> None:  # type: ignore[no-untyped-def]
    appeal_id = await _unsure_appeal()
    token = identity.token("cur-operator")
    cookies = {"Cookie": f"appeals_session={token}; csrf={CSRF}"}
    async with caller(cookies) as console:
        page = (await console.get("/console/triage")).text
        row = page[page.index(f'data-appeal-id="{appeal_id}"') :]
        row = row[: row.index("</li>")]
        picks = re.findall(r'data-topic="([^"]+)"', row)
        assert picks[:3] == [c.topic for c in CANDIDATES]  # the likeliest first
        assert "41 %" in row and "Управляющие компании" in row
        version = re.search(r'name="version" value="(\d+)"', row)
        agency = re.search(r'data-agency-id="([^"]+)" data-topic="housing.management"', row)
        assert version and agency
        form = {
            "csrf": CSRF,
            "version": version[1],
            "agency_id": agency[1],
            "topic": "housing.management",
            "topic_name": "Управляющие компании",
            "next": "triage",
        }
        async with TopicReader(infra.kafka_bootstrap_servers, CLASSIFICATION_CORRECTIONS) as labels:
            moved = await console.post(f"/console/appeals/{appeal_id}/reassign", data=form)
            assert moved.status_code == 303, moved.text
            [record] = await labels.wait_for(lambda r: r.key == str(appeal_id).encode())
    corrected = decode_event(record.value, ClassificationCorrected).payload
    assert (corrected.topic_before, corrected.topic_after) == ("other", "housing.management")
    assert corrected.agency_after == agency[1]
    async with caller(identity.headers("cur-operator")) as operator:
        card = (await operator.get(f"/v1/appeals/{appeal_id}")).json()["appeal"]
    assert (card["agency_id"], card["topic"]) == (agency[1], "housing.management")
    assert card["topic_name"] == "Управляющие компании"
    assert json.dumps(card["candidates"])  # still there for the record


async def test_a_guess_below_five_percent_gets_no_button(running, identity) -> None:  # type: ignore[no-untyped-def]
    noise = TopicCandidate(topic="ecology", topic_name="Экология", probability=0.01)
    text = f"Непонятно что и где ({uuid.uuid4().hex[:6]})"
    event = classified_event(text, "other", confidence=0.3, candidates=(*CANDIDATES[:2], noise))
    await handle_appeal_classified(event, app.state.service.deps)
    appeal_id = event.payload.appeal.appeal_id
    cookies = {"Cookie": f"appeals_session={identity.token('cur-operator')}; csrf={CSRF}"}
    async with caller(cookies) as console:
        page = (await console.get("/console/triage")).text
    row = page[page.index(f'data-appeal-id="{appeal_id}"') :]
    row = row[: row.index("</li>")]
    assert re.findall(r'data-topic="([^"]+)"', row) == ["housing.management", "housing.water"]
