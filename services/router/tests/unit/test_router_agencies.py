"""The routing rule on small directories: territory first, then region, then triage."""

import pytest

from appeals_common.events import Classification
from router.domain.agencies import REGION, Agency, AgencyDirectory, route

MIN_CONFIDENCE = 0.5

TRIAGE = Agency("cur", "ЦУР — сортировка", "regional_control_centre", REGION, ())
CITY_HOUSING = Agency("city-zhkh", "ЖКХ города", "municipal_administration", "city", ("housing.*",))
CITY_ROADS = Agency(
    "city-roads", "Дороги города", "municipal_administration", "city", ("roads.repair",)
)
TOWN = Agency(
    "town-adm",
    "Администрация посёлка",
    "municipal_administration",
    "town",
    ("housing.heating", "roads.repair"),
)
REGION_HEALTH = Agency(
    "reg-health", "Департамент здравоохранения", "regional_ministry", REGION, ("health.care",)
)
REGION_ROADS = Agency(
    "reg-roads", "Дорожный департамент", "regional_ministry", REGION, ("roads.repair",)
)
DIRECTORY = AgencyDirectory(
    agencies=(TRIAGE, CITY_HOUSING, CITY_ROADS, TOWN, REGION_HEALTH, REGION_ROADS),
    territories={"adm-city": "city", "adm-town": "town", "gov-region": REGION},
    triage_agency_id="cur",
)


def _classified(topic: str, *, confidence: float = 0.85, is_appeal: bool = True) -> Classification:
    return Classification(
        is_appeal=is_appeal,
        topic=topic,
        topic_name="Тема",
        body_type="municipal_administration",
        confidence=confidence,
        reason=f"rule for {topic}",
        model_version="test",
    )


def _agency_id(topic: str, body_id: str | None, **kwargs: float | bool) -> str | None:
    decision = route(
        DIRECTORY, _classified(topic, **kwargs), body_id, min_confidence=MIN_CONFIDENCE
    )
    return None if decision is None else decision.agency.id


def test_a_non_appeal_is_not_routed() -> None:
    assert (
        route(DIRECTORY, _classified("not_appeal", is_appeal=False), "adm-city", min_confidence=0.5)
        is None
    )


def test_a_low_confidence_appeal_goes_to_triage() -> None:
    decision = route(
        DIRECTORY, _classified("roads.repair", confidence=0.49), "adm-city", min_confidence=0.5
    )

    assert decision is not None
    assert decision.agency is TRIAGE
    assert decision.reason == "triage: rule for roads.repair"


def test_confidence_exactly_at_the_threshold_is_routed_to_the_topic() -> None:
    assert _agency_id("roads.repair", "adm-city", confidence=MIN_CONFIDENCE) == "city-roads"


def test_topic_other_goes_to_triage_even_when_confident() -> None:
    assert _agency_id("other", "adm-city", confidence=0.95) == "cur"


def test_a_topic_with_an_agency_on_the_page_territory_goes_there() -> None:
    decision = route(DIRECTORY, _classified("roads.repair"), "adm-city", min_confidence=0.5)

    assert decision is not None
    assert decision.agency is CITY_ROADS
    assert decision.reason == "roads.repair on city"


def test_the_municipal_agency_wins_over_the_regional_one() -> None:
    assert _agency_id("roads.repair", "adm-town") == "town-adm"


def test_a_topic_only_served_regionally_goes_to_the_regional_agency() -> None:
    decision = route(DIRECTORY, _classified("health.care"), "adm-city", min_confidence=0.5)

    assert decision is not None
    assert decision.agency is REGION_HEALTH
    assert decision.reason == "health.care on region"


@pytest.mark.parametrize("topic", ["housing.heating", "housing.water", "housing.waste"])
def test_a_section_wildcard_answers_for_every_topic_of_the_section(topic: str) -> None:
    assert _agency_id(topic, "adm-city") == "city-zhkh"


def test_a_section_wildcard_does_not_answer_for_a_longer_section_name() -> None:
    wildcard = Agency("a", "A", "municipal_administration", "city", ("housing.*",))

    assert wildcard.answers_for("housing.heating") is True
    assert wildcard.answers_for("housingx.heating") is False
    assert wildcard.answers_for("roads.repair") is False


def test_a_page_of_another_territory_does_not_reach_the_city_agency() -> None:
    assert _agency_id("housing.water", "adm-town") == "cur"


@pytest.mark.parametrize("body_id", ["adm-unknown", None, "gov-region"])
def test_an_unknown_or_regional_body_is_routed_on_the_region(body_id: str | None) -> None:
    assert _agency_id("roads.repair", body_id) == "reg-roads"
    assert _agency_id("health.care", body_id) == "reg-health"


def test_a_topic_no_agency_answers_for_goes_to_triage() -> None:
    decision = route(DIRECTORY, _classified("ecology"), "adm-city", min_confidence=0.5)

    assert decision is not None
    assert decision.agency is TRIAGE
    assert decision.reason == "no agency for ecology on city"


def test_the_directory_finds_agencies_by_id() -> None:
    assert DIRECTORY.get("city-roads") is CITY_ROADS
    assert DIRECTORY.get("nobody") is None
    assert DIRECTORY.triage is TRIAGE
