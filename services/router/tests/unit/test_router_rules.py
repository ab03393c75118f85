"""Declarative routing rules on the demo region: conditions, order, the unsure decision, skipped
bodies, validation against the directory and the dry run."""

from pathlib import Path
from typing import Any

import pytest

from appeals_common.events import Classification
from router.adapters.directory_file import load_directory
from router.adapters.gazetteer_csv import load_gazetteer_csv
from router.domain.directory import BodyKind
from router.domain.gazetteer import Gazetteer, HouseSet
from router.domain.routing import Appeal, DefaultRouting
from router.domain.rules import (
    Conditions,
    Houses,
    Rule,
    RuleRouting,
    RuleSet,
    dry_run,
    validate,
)

CONFIG = Path(__file__).resolve().parents[4] / "config"
REGIONAL = "vk-gov-ivanovo-region"
LEZHNEVSKAYA = "24701000:улица:Лежневская"


@pytest.fixture(scope="module")
def default() -> DefaultRouting:
    directory = load_directory(CONFIG / "directory.yaml")
    return DefaultRouting(directory, Gazetteer.build(load_gazetteer_csv(CONFIG / "gazetteer.csv")))


def _appeal(
    default: DefaultRouting, text: str, page: str = REGIONAL, topic: str = "housing.heating",
    subtopic: str | None = None, **more: Any,
) -> Appeal:  # fmt: skip
    c = Classification(
        is_appeal=more.pop("is_appeal", True), topic=topic, topic_name=topic, subtopic=subtopic,
        body_type="x", confidence=more.pop("confidence", 0.9), reason="test",
        model_version="test", **more,
    )  # fmt: skip
    return Appeal(c, text, default.directory.page_owner(page), page)


def _rule(
    rule_id: str = "r", body: str | None = "region-mchs", *, enabled: bool = True, **when: Any
) -> Rule:
    return Rule(rule_id, "тест", Conditions(**when), body, enabled=enabled)


def _routing(default: DefaultRouting, *rules: Rule, version: int = 3) -> RuleRouting:
    return RuleRouting(default, RuleSet(version, rules))


HEAT = ("housing.heating",)
CASES = [  # (conditions, text, page, classification, matches)
    ({"topics": HEAT}, "батареи холодные", REGIONAL, {}, True),
    ({"topics": HEAT}, "нет воды", REGIONAL, {"topic": "housing.water"}, False),
    ({"topics": ("housing.*",)}, "нет воды", REGIONAL, {"topic": "housing.water"}, True),
    ({"topics": ("housing.*",)}, "яма", REGIONAL, {"topic": "roads.repair"}, False),
    ({"subtopics": ("housing.heating.outage",)}, "холодно", REGIONAL,
     {"subtopic": "housing.heating.outage"}, True),
    ({"subtopics": ("housing.heating.outage",)}, "холодно", REGIONAL, {}, False),
    ({"urgent": True}, "холодно", REGIONAL, {"urgent": True}, True),
    ({"urgent": True}, "холодно", REGIONAL, {}, False),
    ({"urgent": False}, "холодно", REGIONAL, {}, True),
    ({"territories": ("24705000",)}, "в Кинешме на улице Ленина 5 холодно", REGIONAL, {}, True),
    ({"territories": ("24705000",)}, "в Иванове холодно", REGIONAL, {}, False),
    ({"territories": ("24705000",)}, "холодно в квартире", "vk-adm-kineshma", {}, True),
    ({"territories": ("24705000",)}, "холодно в квартире", "vk-adm-ivanovo", {}, False),
    ({"territories": ("24705000",)}, "на Лежневской 5 холодно", "vk-adm-kineshma", {}, False),
    ({"pages": ("tg-region-zhkh",)}, "холодно", "tg-region-zhkh", {}, True),
    ({"pages": ("tg-region-zhkh",)}, "холодно", REGIONAL, {}, False),
    ({"page_owner_kinds": (BodyKind.SCHOOL,)}, "холодно", "vk-school-ivanovo-5", {}, True),
    ({"page_owner_kinds": (BodyKind.SCHOOL,)}, "холодно", "vk-adm-ivanovo", {}, False),
    ({"named_kinds": (BodyKind.SCHOOL,)}, "в школе 26 холодно", REGIONAL, {}, True),
    ({"named_kinds": (BodyKind.SCHOOL,)}, "в больнице 3 холодно", REGIONAL, {}, False),
    ({"named_kinds": (BodyKind.HEAT_SUPPLIER,)}, "Ивановская теплосетевая компания молчит",
     REGIONAL, {}, True),
    ({"streets": (LEZHNEVSKAYA,)}, "на Лежневской 120 холодно", REGIONAL, {}, True),
    ({"streets": (LEZHNEVSKAYA,)}, "на Тимирязева 5 холодно", REGIONAL, {}, False),
    ({"text_any": ("ледянк",)}, "Ледянку во дворе не залили", REGIONAL, {}, True),
    ({"text_any": ("ледянк",)}, "горку во дворе не залили", REGIONAL, {}, False),
    ({"text_any": ("елк",)}, "Ёлку не поставили", REGIONAL, {}, True),
]  # fmt: skip


@pytest.mark.parametrize(("when", "text", "page", "classification", "matches"), CASES)
def test_each_condition_matches_and_does_not(
    default: DefaultRouting, when: dict[str, Any], text: str, page: str,
    classification: dict[str, Any], matches: bool,
) -> None:  # fmt: skip
    appeal = _appeal(default, text, page, **classification)
    rule = _routing(default, _rule(**when)).decide(appeal, min_confidence=0.5)[1]
    assert (rule is not None) is matches


@pytest.mark.parametrize(
    ("text", "matches"),
    [("на Лежневской 120 холодно", True), ("Лежневская, д. 142а: холодно", True),
     ("на Лежневской 150 холодно", False), ("на улице Лежневской холодно", False)],
)  # fmt: skip
def test_a_house_set_matches_the_houses_in_it(
    default: DefaultRouting, text: str, matches: bool
) -> None:
    houses = (Houses(LEZHNEVSKAYA, HouseSet.parse("100-140;142а")),)
    routing = _routing(default, _rule(houses=houses))
    assert (routing.decide(_appeal(default, text), min_confidence=0.5)[1] is not None) is matches


def test_the_first_enabled_rule_that_matches_wins(default: DefaultRouting) -> None:
    first, second = _rule("a", "region-mchs", topics=HEAT), _rule("b", "region-gas", topics=HEAT)
    appeal = _appeal(default, "холодно")

    routed, rule = _routing(default, first, second).decide(appeal, min_confidence=0.5)
    assert rule is first and routed is not None and routed.agency.id == "region-mchs"
    off = _rule("a", "region-mchs", topics=HEAT, enabled=False)
    routed, rule = _routing(default, off, second).decide(appeal, min_confidence=0.5)
    assert rule is second and routed is not None and routed.agency.id == "region-gas"


def test_a_rule_routes_with_its_id_and_version(default: DefaultRouting) -> None:
    routed = _routing(default, _rule("heat", "region-zhkh", topics=HEAT), version=7).route(
        _appeal(default, "в Кинешме холодно"), min_confidence=0.5
    )
    assert routed is not None and routed.agency.id == "region-zhkh"
    assert routed.reason == "rule heat v7"
    assert routed.explanation.step == "rule" and routed.explanation.rule == "heat@v7"
    assert routed.explanation.territory == "24705000" and "Кинешме" in routed.explanation.places


def test_reach_goes_through_the_overseer_unless_direct(default: DefaultRouting) -> None:
    appeal = _appeal(default, "крыша течёт", topic="housing.management")
    company = "ivanovo-uk-tekstilshchik"
    through = _routing(default, _rule(body=company, topics=("housing.management",)))
    direct = _routing(default, Rule("r", "тест", Conditions(), company, reach="direct"))

    routed = through.route(appeal, min_confidence=0.5)
    assert routed is not None and routed.agency.id == "ivanovo-zhkh"
    assert routed.explanation.executor == company
    routed = direct.route(appeal, min_confidence=0.5)
    assert (
        routed is not None and routed.agency.id == company and routed.explanation.executor is None
    )


def test_a_rule_may_send_to_triage(default: DefaultRouting) -> None:
    routed = _routing(default, _rule(body=None, text_any=("суицид",))).route(
        _appeal(default, "мысли про суицид, батареи холодные"), min_confidence=0.5
    )
    assert routed is not None and routed.agency.id == default.directory.triage_agency_id
    assert routed.explanation.step == "rule"


def test_without_a_matching_rule_the_default_decides(default: DefaultRouting) -> None:
    appeal = _appeal(default, "на Лежневской 120 батареи ледяные")
    routing = _routing(default, _rule(topics=("roads.repair",)))
    assert routing.route(appeal, min_confidence=0.5) == default.route(appeal, min_confidence=0.5)


def test_no_appeal_is_not_routed_even_by_a_rule(default: DefaultRouting) -> None:
    appeal = _appeal(default, "спасибо!", is_appeal=False)
    assert _routing(default, _rule()).decide(appeal, min_confidence=0.5) == (None, None)


def test_a_page_rule_needs_the_page(default: DefaultRouting) -> None:
    paged = _appeal(default, "холодно", "tg-region-zhkh")
    plain = Appeal(paged.classification, paged.text, paged.page_owner)
    routing = _routing(default, _rule(pages=("tg-region-zhkh",)))
    assert routing.decide(plain, min_confidence=0.5)[1] is None


@pytest.mark.parametrize(
    ("when", "fires"),
    [({"topics": HEAT}, False), ({"topics": HEAT, "pages": ("tg-region-zhkh",)}, False),
     ({"urgent": True}, False), ({"pages": ("tg-region-zhkh",)}, True),
     ({"pages": ("tg-region-zhkh",), "urgent": True}, True),
     ({"text_any": ("батаре",)}, True)],
)  # fmt: skip
def test_an_unsure_appeal_is_decided_only_by_a_rule_not_keyed_on_the_topic(
    default: DefaultRouting, when: dict[str, Any], fires: bool
) -> None:
    routing = _routing(default, _rule(**when))
    for unsure in ({"confidence": 0.3}, {"topic": "other"}):
        appeal = _appeal(default, "батареи холодные", "tg-region-zhkh", urgent=True, **unsure)
        routed, rule = routing.decide(appeal, min_confidence=0.5)
        assert (rule is not None) is fires
        assert routed is not None
        assert (routed.agency.id == default.directory.triage_agency_id) is not fires


def test_a_rule_naming_an_inactive_body_is_skipped_and_said(default: DefaultRouting) -> None:
    closed = _rule("old", "ivanovo-uk-ivanovsky-dom", topics=HEAT)
    appeal = _appeal(default, "в Иванове холодно")

    routed, rule = _routing(default, closed, _rule("new", topics=HEAT)).decide(
        appeal, min_confidence=0.5
    )
    assert rule is not None and rule.id == "new"
    assert routed is not None
    assert [c.body_id for c in routed.explanation.considered] == ["ivanovo-uk-ivanovsky-dom"]
    assert "old@v3" in routed.explanation.considered[0].why

    routed = _routing(default, closed).route(appeal, min_confidence=0.5)
    assert routed is not None and routed.explanation.step == "territory"
    assert routed.explanation.considered[0].body_id == "ivanovo-uk-ivanovsky-dom"


def test_a_skipped_body_is_no_triage_candidate(default: DefaultRouting) -> None:
    closed = _rule("old", "ivanovo-uk-ivanovsky-dom", text_any=("холодно",))
    routed = _routing(default, closed).route(
        _appeal(default, "холодно", confidence=0.2), min_confidence=0.5
    )
    assert routed is not None and routed.agency.id == default.directory.triage_agency_id
    assert "ivanovo-uk-ivanovsky-dom" in routed.reason
    assert "ivanovo-uk-ivanovsky-dom" not in [c.body_id for c in routed.explanation.considered]


def test_validate_names_each_problem_with_the_rules_index(default: DefaultRouting) -> None:
    rules = (
        _rule("a", "nowhere"),
        _rule("b", "ivanovo-uk-ivanovsky-dom"),
        _rule("c", pages=("vk-nowhere",), territories=("25000000",)),
        _rule("d", topics=HEAT, subtopics=("roads.repair.potholes",)),
        _rule("e", houses=(Houses("24701000:улица:Несуществующая", HouseSet.parse("1")),)),
        _rule("a"),
        _rule("ok", "region-gas", topics=("housing.gas",), subtopics=("housing.gas.supply",)),
    )
    problems = validate(RuleSet(1, rules), default.directory, default.gazetteer)

    found = {(p.index, p.rule_id, p.message.split()[0]) for p in problems}
    assert found == {(0, "a", "then_body"), (1, "b", "then_body"), (2, "c", "page"),
                     (2, "c", "territory"), (3, "d", "subtopic"), (4, "e", "street"),
                     (5, "a", "duplicate")}  # fmt: skip
    assert validate(RuleSet(1, rules[4:5]), default.directory) == []  # no gazetteer: no streets


def test_the_dry_run_counts_what_the_proposed_rules_change(default: DefaultRouting) -> None:
    current = _routing(default)
    proposed = _routing(
        default,
        _rule("life", None, text_any=("суицид",)),
        _rule("zhkh-page", "region-zhkh", pages=("tg-region-zhkh",)),
        _rule("heat-ivanovo", "ivanovo-zhkh", topics=HEAT, territories=("24701000",)),
    )
    appeals = [
        _appeal(default, "что-то непонятное", "tg-region-zhkh", confidence=0.2),
        _appeal(default, "холодно, думаю про суицид", "vk-adm-ivanovo"),
        _appeal(default, "в Иванове холодные батареи", "vk-adm-ivanovo"),
        _appeal(default, "яма на дороге в Кинешме", topic="roads.repair"),
        _appeal(default, "спасибо", is_appeal=False),
    ]
    run = dry_run(current, proposed, appeals, min_confidence=0.5)

    assert (run.changed, run.to_triage, run.from_triage) == (2, 1, 1)
    assert run.by_rule == {"life": 1, "zhkh-page": 1, "heat-ivanovo": 1}
    assert [o.rule_proposed for o in run.outcomes] == ["zhkh-page", "life", "heat-ivanovo",
                                                       None, None]  # fmt: skip
    assert run.outcomes[2].now == run.outcomes[2].proposed == "ivanovo-zhkh"
    assert run.outcomes[4].now is None and run.outcomes[0].rule_now is None
