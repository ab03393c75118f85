"""The directory: its import refuses what is wrong with the line, and answers who is who."""

from pathlib import Path

import pytest

from router.adapters.directory_file import DirectoryImportError, load_directory, parse_directory
from router.domain.directory import BodyKind

SHIPPED = Path(__file__).resolve().parents[4] / "config" / "directory.yaml"

HEAD = """\
region: {name: Тестовая область, oktmo: "24000000", timezone: Europe/Moscow}
triage_body: cur
reach: {management_company: overseer}
bodies:
  - id: cur
    name: ЦУР
    kind: control_centre
    territory: ["24000000"]
  - id: city
    name: Администрация города
    kind: municipality
    territory: ["24701000"]
  - id: city-housing
    name: Управление ЖКХ
    kind: municipal_department
    parent: city
    territory: ["24701000"]
    competences: ["housing.management", "housing.heating.season"]
"""


NEW_LINE = HEAD.count("\n") + 1  # where a body added after HEAD starts


def _with(body: str) -> str:
    return HEAD + body


def test_the_shipped_directory_loads_and_keeps_every_page_with_its_owner() -> None:
    directory = load_directory(SHIPPED)

    owner = directory.page_owner("vk-adm-ivanovo")
    assert owner is not None and owner.id == "adm-ivanovo"
    assert directory.triage.kind is BodyKind.CONTROL_CENTRE
    assert "ivanovo-education" in directory.with_subordinates(["adm-ivanovo"])
    assert len(directory.agencies) < len(directory.bodies)  # a liquidated company is history


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  - id: x\n    name: X\n    kind: spaceship\n", "kind"),
        ("  - id: x\n    name: X\n    kind: school\n    competences: [\"housing.nope\"]\n",
         "not topics of the rubricator"),
        ("  - id: x\n    name: X\n    kind: school\n    territory: [\"2470\"]\n", "OKTMO"),
        ("  - id: x\n    name: X\n    kind: school\n    parent: nowhere\n", "nowhere"),
        ("  - id: city-housing\n    name: Again\n    kind: school\n", "duplicate id"),
        ("  - id: town\n    name: Town\n    kind: municipality\n    territory: [\"24701000\"]\n",
         "belongs to city"),
        ("  - id: uk\n    name: УК\n    kind: management_company\n    serves:\n"
         "      - {oktmo: \"24701000\", street: \"улица Ленина\", houses: \"9-1\"}\n",
         "serves"),
    ],
)  # fmt: skip
def test_a_broken_body_is_refused_with_its_line(body: str, message: str) -> None:
    with pytest.raises(DirectoryImportError, match=message) as refused:
        parse_directory(_with(body))

    assert refused.value.line == NEW_LINE


def test_a_cycle_of_parents_is_refused() -> None:
    cycle = (
        "  - id: a\n    name: A\n    kind: municipal_department\n    parent: b\n"
        "  - id: b\n    name: B\n    kind: municipal_department\n    parent: a\n"
    )
    with pytest.raises(DirectoryImportError, match="cycle") as refused:
        parse_directory(_with(cycle))

    assert refused.value.line == NEW_LINE


def test_not_yaml_and_a_missing_triage_body_are_refused() -> None:
    with pytest.raises(DirectoryImportError, match="not YAML"):
        parse_directory("bodies: [unclosed")
    with pytest.raises(DirectoryImportError, match="triage_body"):
        parse_directory(HEAD.replace("triage_body: cur", "triage_body: nobody"))


def test_competence_is_graded_subtopic_topic_section() -> None:
    directory = parse_directory(
        _with(
            '  - id: all\n    name: All\n    kind: municipality\n    territory: ["24705000"]\n'
            '    competences: ["housing.*"]\n'
        )
    )
    housing, everything = directory.get("city-housing"), directory.get("all")
    assert housing is not None and everything is not None

    assert housing.competence("housing.heating", "housing.heating.season") == 3
    assert housing.competence("housing.management", None) == 2
    assert housing.competence("housing.heating", "housing.heating.outage") == 0
    assert housing.answers_for("housing.heating")  # through one of its subtopics
    assert everything.competence("housing.water", None) == 1
    assert everything.competence("roads.repair", None) == 0


def test_an_overseen_company_is_reached_through_its_overseer_where_the_region_says() -> None:
    directory = parse_directory(
        _with(
            "  - id: uk\n    name: УК\n    kind: management_company\n"
            '    overseen_by: city-housing\n    territory: ["24701000"]\n'
            "  - id: heat\n    name: Теплосеть\n    kind: heat_supplier\n"
            "    overseen_by: city-housing\n"
        )
    )
    company, heat = directory.get("uk"), directory.get("heat")
    assert company is not None and heat is not None

    assert directory.reached_through(company).id == "city-housing"
    assert directory.reached_through(heat).id == "heat"  # reach not set: directly
