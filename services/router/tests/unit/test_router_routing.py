"""Default routing on the demo region's directory and gazetteer: each step, and its reasons."""

from pathlib import Path

import pytest

from appeals_common.events import Classification
from router.adapters.directory_file import load_directory
from router.adapters.gazetteer_csv import load_gazetteer_csv
from router.domain.directory import Directory
from router.domain.gazetteer import Gazetteer
from router.domain.named_bodies import numbered_institutions
from router.domain.routing import Appeal, DefaultRouting, Routed

CONFIG = Path(__file__).resolve().parents[4] / "config"


@pytest.fixture(scope="module")
def routing() -> DefaultRouting:
    directory = load_directory(CONFIG / "directory.yaml")
    return DefaultRouting(directory, Gazetteer.build(load_gazetteer_csv(CONFIG / "gazetteer.csv")))


def _route(
    routing: DefaultRouting, text: str, page: str, topic: str, subtopic: str | None = None
) -> Routed:
    classification = Classification(
        is_appeal=True, topic=topic, topic_name=topic, subtopic=subtopic, body_type="x",
        confidence=0.9, reason="test", model_version="test",
    )  # fmt: skip
    owner = routing.directory.page_owner(page)
    routed = routing.route(Appeal(classification, text, owner), min_confidence=0.5)
    assert routed is not None
    return routed


def test_a_street_on_the_regional_page_goes_to_the_citys_body(routing: DefaultRouting) -> None:
    routed = _route(routing, "на Лежневской 120 батареи ледяные", "vk-gov-ivanovo-region",
                    "housing.heating", "housing.heating.outage")  # fmt: skip

    assert routed.agency.id != routing.directory.triage_agency_id
    assert routed.agency.covers("24701000") and not routed.agency.covers("24705000")
    assert routed.explanation.territory == "24701000"
    assert "Лежневской 120" in routed.explanation.places


def test_a_numbered_school_gets_the_appeal_in_its_own_town(routing: DefaultRouting) -> None:
    routed = _route(routing, "в школе № 5 не кормят детей", "vk-adm-ivanovo", "education.schools")

    assert routed.agency.kind.value == "school" and routed.agency.number == 5
    assert routed.agency.covers("24701000")
    assert routed.explanation.step == "named"


def test_a_school_number_several_towns_have_goes_to_triage_on_the_regional_page(
    routing: DefaultRouting,
) -> None:
    routed = _route(routing, "в школе № 2 учитель кричит на детей", "vk-gov-ivanovo-region",
                    "education.schools")  # fmt: skip

    assert routed.agency.id == routing.directory.triage_agency_id
    assert len(routed.explanation.considered) >= 2


def test_a_house_goes_through_the_overseer_to_its_management_company(
    routing: DefaultRouting,
) -> None:
    directory = routing.directory
    company = next(b for b in directory.agencies if b.kind.value == "management_company"
                   and b.serves and b.serves[0].houses is not None)  # fmt: skip
    served = company.serves[0]
    house = str(served.houses.ranges[0][0]) if served.houses and served.houses.ranges else "1"
    text = f"{served.street}, д. {house}: крыша течёт, управляющая компания не отвечает"

    routed = _route(routing, text, "vk-gov-ivanovo-region", "housing.management")

    assert routed.explanation.step == "house"
    assert routed.explanation.executor == company.id
    assert routed.agency.id == company.overseen_by


def test_without_a_place_the_pages_territory_decides(routing: DefaultRouting) -> None:
    routed = _route(routing, "во дворе не убирают снег", "vk-adm-kineshma", "improvement.snow")

    assert routed.agency.covers("24705000") and not routed.agency.covers("24701000")


def test_a_street_several_towns_have_with_a_municipal_topic_goes_to_triage(
    routing: DefaultRouting,
) -> None:
    routed = _route(routing, "ул. Садовая, фонари не горят", "vk-gov-ivanovo-region",
                    "improvement.lighting")  # fmt: skip

    assert routed.agency.id == routing.directory.triage_agency_id
    assert "several municipalities" in routed.reason


def test_an_organisation_named_by_its_name_gets_it(routing: DefaultRouting) -> None:
    routed = _route(routing, "Шуйский водоканал третий день не может устранить прорыв",
                    "vk-adm-shuya", "housing.water")  # fmt: skip

    assert routed.agency.kind.value == "water_supplier"
    assert routed.agency.covers("24711000")


def test_an_unsure_classification_and_a_non_appeal(routing: DefaultRouting) -> None:
    unsure = Classification(is_appeal=True, topic="other", topic_name="x", body_type="x",
                            confidence=0.2, reason="unsure", model_version="t")  # fmt: skip
    chatter = unsure.model_copy(update={"is_appeal": False, "topic": "not_appeal"})
    owner = routing.directory.page_owner("vk-adm-ivanovo")

    routed = routing.route(Appeal(unsure, "что-то", owner), min_confidence=0.5)
    assert routed is not None and routed.agency.id == routing.directory.triage_agency_id
    assert routing.route(Appeal(chatter, "ха-ха", owner), min_confidence=0.5) is None


def test_history_gets_nothing(routing: DefaultRouting) -> None:
    directory: Directory = routing.directory
    closed = [b for b in directory.bodies if b.active_to is not None]

    assert closed and all(b not in directory.agencies for b in closed)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("школа 2 на кооперативной", [("school", 2)]),
        ("ГКБ № 7 на Василевского", [("hospital", 7)]),
        ("в 5 школе и в садике №12", [("school", 5), ("kindergarten", 12)]),
        ("на 2 школах и в 12 детских садах", []),
        ("в спортивной школе 4", [("sport_institution", 4)]),
        ("шк №4 на Свердлова и шк. 12", [("school", 4), ("school", 12)]),
        ("шкаф 3 сломан", []),
        # Every way of naming each kind, in capitals: a text is scanned for a kind only when
        # it holds one of the kind's words, and this proves none of them is overlooked.
        ("ГИМНАЗИЯ 3, ЛИЦЕЙ № 6, СОШ 8", [("school", 3), ("school", 6), ("school", 8)]),
        ("СПОРТШКОЛА 1, ДЮСШ 2, СШОР 3", [("sport_institution", n) for n in (1, 2, 3)]),
        ("ДЕТСАД 1, Д/С 2, ДОУ 3, ЯСЛИ 4, САД 5", [("kindergarten", n) for n in (1, 2, 3, 4, 5)]),
        ("ПОЛИКЛИНИКА 1 и АМБУЛАТОРИЯ 2", [("clinic", 1), ("clinic", 2)]),
        ("БОЛЬНИЦА 1, ГБ 2, ЦРБ 3, РОДДОМ 4", [("hospital", n) for n in (1, 2, 3, 4)]),
    ],
)
def test_numbered_institutions_as_residents_write_them(
    text: str, found: list[tuple[str, int]]
) -> None:
    assert [(m.kind.value, m.number) for m in numbered_institutions(text)] == found
