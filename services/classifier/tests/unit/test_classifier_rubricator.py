"""The rubricator: topic ids, Russian names, ТОТК sections and stems that can match."""

import re

from classifier.domain.classify import normalise
from classifier.domain.rubricator import (
    BY_ID,
    NOT_APPEAL,
    TOPICS,
    UNPLACED,
    BodyType,
    TotkSection,
)

RUSSIAN_NAME = re.compile(r"[А-ЯЁ][а-яёА-ЯЁ ,()\-]+")


def test_topic_ids_are_unique() -> None:
    ids = [topic.id for topic in TOPICS]

    assert len(ids) == len(set(ids))
    assert UNPLACED.id not in ids
    assert NOT_APPEAL.id not in ids


def test_every_topic_has_a_russian_name() -> None:
    for topic in (*TOPICS, UNPLACED, NOT_APPEAL):
        assert RUSSIAN_NAME.fullmatch(topic.name), topic.id


def test_every_topic_has_a_totk_section_and_a_body_type() -> None:
    for topic in TOPICS:
        assert isinstance(topic.section, TotkSection), topic.id
        assert re.fullmatch(r"000[1-5]", topic.section.value), topic.id
        assert isinstance(topic.body_type, BodyType), topic.id


def test_topic_ids_are_lowercase_dotted_names() -> None:
    for topic in TOPICS:
        assert re.fullmatch(r"[a-z]+(\.[a-z]+)?", topic.id), topic.id


def test_every_topic_has_stems_written_as_the_classifier_sees_text() -> None:
    # a stem with capitals, ё or punctuation could never match the normalised text
    for topic in TOPICS:
        assert topic.stems, topic.id
        for stem in topic.stems:
            assert normalise(stem).strip() == stem, (topic.id, stem)


def test_by_id_finds_every_destination() -> None:
    assert set(BY_ID) == {topic.id for topic in TOPICS} | {"other", "not_appeal"}
    assert BY_ID["other"] is UNPLACED
    assert UNPLACED.body_type == BodyType.CONTROL_CENTRE
