"""The shipped configuration agrees across services: every topic the classifier can give has
an agency in the directory, and the directory names only topics the classifier knows."""

from pathlib import Path

from classifier.domain.rubricator import TOPICS
from router.adapters.agency_directory_file import load_agency_directory

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
