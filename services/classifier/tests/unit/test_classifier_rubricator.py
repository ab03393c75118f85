"""The rubricator: topic ids, Russian names, ТОТК sections, bodies and subtopic keywords."""

import re

from classifier.domain.rubricator import (
    BY_ID,
    NOT_APPEAL,
    TOPICS,
    UNPLACED,
    BodyLevel,
    BodyType,
    TotkSection,
)
from classifier.domain.text import Lemmatiser

RUSSIAN_NAME = re.compile(r"[А-ЯЁ][а-яёА-ЯЁ ,()\-]+")
# The ids the training data, the agency directory and stored events use: renaming one is a
# migration, not an edit.
TOPIC_IDS = [
    "housing.heating",
    "housing.water",
    "housing.electricity",
    "housing.gas",
    "housing.waste",
    "housing.management",
    "housing.capital_repair",
    "housing.payments",
    "housing.dwelling",
    "roads.repair",
    "transport.public",
    "improvement.snow",
    "improvement.lighting",
    "improvement.advertising",
    "improvement.yards",
    "health.care",
    "education.schools",
    "education.kindergartens",
    "social.support",
    "ecology",
    "safety.emergency",
    "safety.order",
    "animals.stray",
    "construction",
    "trade.prices",
    "communications",
    "culture.sport",
    "documents.services",
    "employment",
    "governance",
]


def test_the_topics_are_exactly_the_fixed_ids() -> None:
    assert [topic.id for topic in TOPICS] == TOPIC_IDS


def test_triage_and_not_appeal_are_destinations_not_topics() -> None:
    assert set(BY_ID) == set(TOPIC_IDS) | {"other", "not_appeal"}
    assert BY_ID["other"] is UNPLACED
    assert BY_ID["not_appeal"] is NOT_APPEAL
    assert UNPLACED.body_type == NOT_APPEAL.body_type == BodyType.CONTROL_CENTRE


def test_every_topic_has_a_russian_name() -> None:
    for topic in (*TOPICS, UNPLACED, NOT_APPEAL):
        assert RUSSIAN_NAME.fullmatch(topic.name), topic.id


def test_every_topic_has_a_totk_section_a_body_type_and_a_level() -> None:
    for topic in TOPICS:
        assert re.fullmatch(r"000[1-5]", TotkSection(topic.section).value), topic.id
        assert isinstance(topic.body_type, BodyType), topic.id
        assert isinstance(topic.body_level, BodyLevel), topic.id


def test_the_bodies_that_answer_are_the_ones_that_do() -> None:
    expected = {
        "housing.heating": (BodyType.OVERSEEN, BodyLevel.MUNICIPAL),
        "health.care": (BodyType.REGIONAL, BodyLevel.REGIONAL),
        "education.schools": (BodyType.INSTITUTION, BodyLevel.MUNICIPAL),
        "safety.order": (BodyType.FEDERAL, BodyLevel.FEDERAL),
        "documents.services": (BodyType.INSTITUTION, BodyLevel.REGIONAL),
        "roads.repair": (BodyType.MUNICIPAL, BodyLevel.MUNICIPAL),
    }
    for topic_id, (body_type, level) in expected.items():
        assert (BY_ID[topic_id].body_type, BY_ID[topic_id].body_level) == (body_type, level)


def test_every_topic_has_subtopics_with_keywords_and_dotted_ids() -> None:
    for topic in TOPICS:
        assert len(topic.subtopics) >= 2, topic.id
        for sub in topic.subtopics:
            assert sub.id.startswith(topic.id + "."), sub.id
            assert re.fullmatch(r"[a-z_.]+", sub.id), sub.id
            assert RUSSIAN_NAME.fullmatch(sub.name), sub.id
            assert sub.keywords, sub.id


def test_keywords_are_one_word_or_a_two_word_phrase_in_lower_case(lemmatiser: Lemmatiser) -> None:
    for topic in TOPICS:
        for sub in topic.subtopics:
            for keyword in sub.keywords:
                parts = keyword.split("_")
                assert len(parts) in (1, 2), keyword
                assert all(re.fullmatch(r"[а-яё-]+|[a-z]+", p) for p in parts), keyword
                assert all(lemmatiser.lemma(p) for p in parts), keyword
