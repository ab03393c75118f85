"""The shipped configuration agrees across services: every topic the classifier can give has
an agency in the directory, and the directory names only topics the classifier knows."""

from pathlib import Path

import pytest

from appeals_common.events import Classification
from appeals_common.rubric import SUBTOPIC_IDS, TOPIC_IDS, is_competence
from classifier.domain.rubricator import TOPICS
from router.adapters.agency_directory_file import load_agency_directory
from router.domain.agencies import route

AGENCIES_YAML = Path(__file__).resolve().parents[1] / "config" / "agencies.yaml"


def test_every_rubricator_topic_has_a_non_triage_agency_in_the_shipped_directory() -> None:
    directory = load_agency_directory(AGENCIES_YAML)
    agencies = [a for a in directory.agencies if a.id != directory.triage_agency_id]

    unserved = [t.id for t in TOPICS if not any(a.answers_for(t.id) for a in agencies)]

    assert unserved == []


def test_every_topic_in_the_shipped_directory_names_a_rubricator_topic() -> None:
    directory = load_agency_directory(AGENCIES_YAML)
    topic_ids = [t.id for t in TOPICS]

    for agency in directory.agencies:
        for pattern in agency.topics:
            prefix = pattern.removesuffix("*")
            matched = any(
                t == pattern or (prefix != pattern and t.startswith(prefix)) for t in topic_ids
            )
            assert matched, (agency.id, pattern)


@pytest.mark.parametrize("body_id", ["adm-ivanovo", "adm-kineshma", "gov-ivanovo-region", None])
def test_every_topic_reaches_an_agency_from_every_demo_page(body_id: str | None) -> None:
    directory = load_agency_directory(AGENCIES_YAML)
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
        decision = route(directory, classification, body_id, min_confidence=0.5)
        if decision is None or decision.agency.id == directory.triage_agency_id:
            to_triage.append(topic.id)

    assert to_triage == []


def test_the_shared_rubric_ids_are_the_classifiers() -> None:
    assert {t.id for t in TOPICS} == TOPIC_IDS
    assert {s.id for t in TOPICS for s in t.subtopics} == SUBTOPIC_IDS
    assert is_competence("housing.*") and is_competence("housing.heating.season")
    assert not is_competence("housing.heating.nonsense") and not is_competence("nowhere.*")
