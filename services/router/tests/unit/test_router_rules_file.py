"""The routing rules' file: the shipped set loads against the shipped directory, and a broken
rule is refused with its line (YAML) or its index (a parsed document)."""

from pathlib import Path

import pytest

from router.adapters.directory_file import load_directory
from router.adapters.gazetteer_csv import load_gazetteer_csv
from router.adapters.rules_file import RuleImportError, load_rules, parse_rules, parse_rules_text
from router.domain.directory import BodyKind, Directory
from router.domain.gazetteer import Gazetteer
from router.domain.rules import validate

CONFIG = Path(__file__).resolve().parents[4] / "config"

HEAD = """\
version: 2
published_by: operator
rules:
  - id: gas
    description: Газ — поставщику
    when: {topics: ["housing.gas"], urgent: true}
    then_body: region-gas
    reach: direct
"""
NEW_LINE = HEAD.count("\n") + 1  # where a rule added after HEAD starts


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_directory(CONFIG / "directory.yaml")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.build(load_gazetteer_csv(CONFIG / "gazetteer.csv"))


def test_the_shipped_rules_load_and_validate(directory: Directory, gazetteer: Gazetteer) -> None:
    rules = load_rules(CONFIG / "routing-rules.yaml", directory=directory, gazetteer=gazetteer)

    assert rules.version == 1 and 4 <= len(rules.rules) <= 8
    assert validate(rules, directory, gazetteer) == []
    assert all(any("а" <= ch <= "я" for ch in r.description.lower()) for r in rules.rules)
    assert all(r.enabled for r in rules.rules)


def test_a_rule_reads_every_field(directory: Directory) -> None:
    text = (
        HEAD
        + """\
  - id: houses
    description: Дома
    enabled: false
    when:
      subtopics: ["housing.management.roof"]
      territories: ["24701000"]
      pages: ["tg-region-zhkh"]
      page_owner_kinds: [regional_ministry]
      named_kinds: [management_company]
      streets: ["24701000:улица:Лежневская"]
      houses: [{street: "24701000:улица:Школьная", houses: "1-30;32а"}]
      text_any: ["крыш"]
    then: triage
"""
    )
    rules = parse_rules_text(text, directory=directory)

    gas, houses = rules.rules
    assert (rules.version, rules.published_by) == (2, "operator")
    assert gas.then_body == "region-gas" and gas.reach == "direct" and gas.when.urgent is True
    assert houses.then_body is None and not houses.enabled
    assert houses.when.page_owner_kinds == (BodyKind.REGIONAL_MINISTRY,)
    assert "32а" in houses.when.houses[0].houses and "31" not in houses.when.houses[0].houses


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("when: {topics: [housing.nope]}\n    then: triage", "not topic ids"),
        ("when: {topics: [housing.heating.outage]}\n    then: triage", "not topic ids"),
        ("when: {subtopics: [housing.heating.cold]}\n    then: triage", "not subtopic ids"),
        ("when: {page_owner_kinds: [spaceship]}\n    then: triage", "page_owner_kinds"),
        ("when: {named_kinds: [castle]}\n    then: triage", "named_kinds"),
        ("when: {territories: [\"2470\"]}\n    then: triage", "OKTMO"),
        ("when: {houses: [{street: s, houses: \"5-1\"}]}\n    then: triage", "backwards"),
        ("when: {houses: [{street: s, houses: \"дом\"}]}\n    then: triage", "not a house"),
        ("when: {text_any: [Ледянка]}\n    then: triage", "lower-case"),
        ("when: {colour: red}\n    then: triage", "colour"),
        ("then_body: nowhere", "'nowhere' is not in the directory"),
        ("then_body: region-gas\n    then: triage", "either then_body"),
        ("description: \"\"\n    then: triage", "description"),
        ("then: triage\n    reach: sideways", "reach"),
    ],
)  # fmt: skip
def test_a_broken_rule_is_refused_with_its_line(
    directory: Directory, rule: str, message: str
) -> None:
    description = "" if rule.startswith("description") else "    description: Новое\n"
    text = f"{HEAD}  - id: new\n{description}    {rule}\n"
    with pytest.raises(RuleImportError) as refused:
        parse_rules_text(text, source="rules.yaml", directory=directory)
    assert refused.value.line_or_index == NEW_LINE and not refused.value.by_index
    assert message in str(refused.value) and str(refused.value).startswith(f"rules.yaml:{NEW_LINE}")


def test_a_duplicate_id_is_refused_on_the_second_rule(directory: Directory) -> None:
    text = HEAD + HEAD.split("rules:\n")[1]
    with pytest.raises(RuleImportError, match="duplicate id") as refused:
        parse_rules_text(text, directory=directory)
    assert refused.value.line_or_index == NEW_LINE


def test_an_unknown_street_is_refused_only_with_the_gazetteer(
    directory: Directory, gazetteer: Gazetteer
) -> None:
    text = HEAD.replace("urgent: true", 'streets: ["24701000:улица:Марсианская"]')
    assert parse_rules_text(text, directory=directory).rules[0].when.streets
    with pytest.raises(RuleImportError, match="not in the gazetteer"):
        parse_rules_text(text, directory=directory, gazetteer=gazetteer)


def test_a_parsed_document_is_refused_by_index(directory: Directory) -> None:
    good = {"id": "a", "description": "А", "then": "triage"}
    bad = {"id": "b", "description": "Б", "then_body": "nowhere"}
    with pytest.raises(RuleImportError) as refused:
        parse_rules({"version": 4, "rules": [good, bad]}, source="api", directory=directory)
    assert refused.value.by_index and refused.value.line_or_index == 1
    assert str(refused.value).startswith("api: rules[1]: b:")


def test_a_bare_list_is_a_draft_of_version_zero(directory: Directory) -> None:
    draft = parse_rules([{"id": "a", "description": "А", "then": "triage"}], directory=directory)
    assert draft.version == 0 and draft.rules[0].id == "a"


@pytest.mark.parametrize(
    ("text", "message"),
    [("rules: [\n", "not YAML"), ("- 1\n- 2\n", "rule"), ("version: -1\nrules: []\n", "version"),
     ("just text\n", "expected a mapping"),
     ("rules: [\n  {id: a, when: }}\n", "rules:2: not YAML")],
)  # fmt: skip
def test_a_broken_document_is_refused(directory: Directory, text: str, message: str) -> None:
    with pytest.raises(RuleImportError, match=message) as refused:
        parse_rules_text(text, directory=directory)
    assert "{id: a" not in str(refused.value)  # says where, without repeating the text


def test_a_draft_without_a_version_is_version_0_until_it_is_published(
    directory: Directory,
) -> None:
    assert parse_rules_text("rules: []\n", directory=directory).version == 0
