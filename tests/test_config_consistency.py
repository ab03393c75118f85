"""The shipped configuration agrees across services: every topic the classifier can give has
a body in the directory, the directory names only topics the classifier knows (its import
checks that against the shared rubric), and the page registry and the directory agree on who
owns each page."""

from pathlib import Path

import pytest
import yaml

from appeals_common.events import Classification
from appeals_common.rubric import SUBTOPIC_IDS, TOPIC_IDS, is_competence
from classifier.domain.rubricator import TOPICS
from router.adapters.directory_file import load_directory
from router.adapters.gazetteer_csv import load_gazetteer_csv
from router.domain.gazetteer import Gazetteer
from router.domain.routing import Appeal, DefaultRouting

CONFIG = Path(__file__).resolve().parents[1] / "config"
DEMO_PAGES = ["vk-adm-ivanovo", "vk-adm-kineshma", "vk-gov-ivanovo-region", "vk-adm-shuya"]


def _routing() -> DefaultRouting:
    gazetteer = Gazetteer.build(load_gazetteer_csv(CONFIG / "gazetteer.csv"))
    return DefaultRouting(load_directory(CONFIG / "directory.yaml"), gazetteer)


def test_every_rubricator_topic_has_a_body_in_the_shipped_directory() -> None:
    directory = load_directory(CONFIG / "directory.yaml")
    bodies = [b for b in directory.agencies if b.id != directory.triage_agency_id]

    unserved = [t.id for t in TOPICS if not any(b.answers_for(t.id) for b in bodies)]

    assert unserved == []


@pytest.mark.parametrize("page", DEMO_PAGES)
def test_every_topic_reaches_a_body_from_every_demo_page(page: str) -> None:
    routing = _routing()
    owner = routing.directory.page_owner(page)
    to_triage = []
    for topic in TOPICS:
        classification = Classification(
            is_appeal=True,
            topic=topic.id,
            topic_name=topic.name,
            body_type=topic.body_type,
            confidence=0.9,
            reason="test",
            model_version="test",
        )
        routed = routing.route(Appeal(classification, "текст", owner), min_confidence=0.5)
        if routed is None or routed.agency.id == routing.directory.triage_agency_id:
            to_triage.append(topic.id)

    assert owner is not None
    assert to_triage == []


def test_the_page_registry_and_the_directory_agree_on_every_pages_owner() -> None:
    directory = load_directory(CONFIG / "directory.yaml")
    registry = yaml.safe_load((CONFIG / "pages.yaml").read_text(encoding="utf-8"))["pages"]

    for page in registry:
        owner = directory.page_owner(page["id"])
        assert owner is not None, page["id"]
        assert owner.id == page["body_id"], page["id"]


def test_the_shared_rubric_ids_are_the_classifiers() -> None:
    assert {t.id for t in TOPICS} == TOPIC_IDS
    assert {s.id for t in TOPICS for s in t.subtopics} == SUBTOPIC_IDS
    assert is_competence("housing.*") and is_competence("housing.heating.season")
    assert not is_competence("housing.heating.nonsense") and not is_competence("nowhere.*")
