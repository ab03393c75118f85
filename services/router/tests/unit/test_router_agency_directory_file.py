"""The agency directory file: the shipped one covers the rubricator; broken ones fail."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from appeals_common.events import Classification
from router.adapters.agency_directory_file import load_agency_directory
from router.domain.agencies import REGION, RoutingDecision, route

AGENCIES_YAML = Path(__file__).resolve().parents[4] / "config" / "agencies.yaml"
VALID = """\
triage_agency: cur
territories:
  adm-city: city
agencies:
  - {id: cur, name: ЦУР, body_type: regional_control_centre, territory: region}
  - {id: city-roads, name: Дороги, body_type: municipal_administration, territory: city,
     topics: [roads.repair]}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agencies.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_directory_loads() -> None:
    directory = load_agency_directory(AGENCIES_YAML)

    assert directory.triage.id == "cur-ivanovo"
    assert directory.triage.territory == REGION
    assert directory.territories["adm-ivanovo"] == "ivanovo"


def test_a_small_directory_loads_with_topics_as_a_tuple(tmp_path: Path) -> None:
    directory = load_agency_directory(_write(tmp_path, VALID))

    assert [a.id for a in directory.agencies] == ["cur", "city-roads"]
    roads = directory.get("city-roads")
    assert roads is not None
    assert roads.topics == ("roads.repair",)
    assert directory.triage.topics == ()


def test_duplicate_agency_ids_fail(tmp_path: Path) -> None:
    text = VALID + "  - {id: cur, name: Ещё ЦУР, body_type: x, territory: region}\n"

    with pytest.raises(ValidationError, match="agency ids must be unique"):
        load_agency_directory(_write(tmp_path, text))


def test_a_triage_agency_missing_from_the_directory_fails(tmp_path: Path) -> None:
    text = VALID.replace("triage_agency: cur", "triage_agency: cur-missing")

    with pytest.raises(
        ValidationError, match="triage agency 'cur-missing' is not in the directory"
    ):
        load_agency_directory(_write(tmp_path, text))


def test_an_unknown_field_fails(tmp_path: Path) -> None:
    text = VALID.replace("territory: city,", "territory: city, phone: '122',")

    with pytest.raises(ValidationError, match="phone"):
        load_agency_directory(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("topic", "body_id", "agency_id"),
    [
        ("housing.heating", "adm-ivanovo", "ivanovo-zhkh"),
        ("housing.heating", "adm-kineshma", "kineshma-admin"),
        ("housing.heating", "gov-ivanovo-region", "region-zhkh"),
        ("housing.gas", "adm-ivanovo", "region-gas"),
        ("housing.waste", "adm-kineshma", "region-waste"),
        ("safety.order", "adm-ivanovo", "region-police"),
        ("safety.emergency", "adm-kineshma", "region-mchs"),
        ("documents.services", "adm-ivanovo", "region-mfc"),
        ("animals.stray", "adm-ivanovo", "ivanovo-zhkh"),
        ("animals.stray", "gov-ivanovo-region", "region-veterinary"),
        ("improvement.lighting", "adm-kineshma", "kineshma-admin"),
    ],
)
def test_the_shipped_directory_sends_topics_to_the_bodies_that_answer(
    topic: str, body_id: str, agency_id: str
) -> None:
    decision = route_in_shipped_directory(topic, body_id)

    assert decision is not None
    assert decision.agency.id == agency_id


def route_in_shipped_directory(topic: str, body_id: str | None) -> RoutingDecision | None:
    """Where the shipped directory sends a confident appeal on `topic` from `body_id`'s page."""
    classification = Classification(
        is_appeal=True,
        topic=topic,
        topic_name="Тема",
        body_type="municipal_administration",
        confidence=0.9,
        reason="test",
        model_version="test",
    )
    return route(load_agency_directory(AGENCIES_YAML), classification, body_id, min_confidence=0.5)
