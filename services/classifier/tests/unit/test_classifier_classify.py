"""The decision on realistic texts: appeals, non-appeals, triage, urgency, bad input."""

import pytest

from appeals_common.events import Classification
from classifier.adapters.navec_vectors import classifier_for
from classifier.domain.classify import AppealClassifier, Models
from classifier.domain.rubricator import BY_ID
from classifier.domain.text import Lemmatiser

HEATING = "ОПЯТЬ НЕТ ОТОПЛЕНИЯ!!! ул ленина 5 батареи ледяные, когда дадут тепло"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (HEATING, "housing.heating"),
        ("на ул Лежневской ямы на дороге асфальт весь разбит когда отремонтируют", "roads.repair"),
        ("невозможно записаться к терапевту в поликлинике №3, талонов нет", "health.care"),
        ("в школе № 5 ужасно кормят, дети голодные", "education.schools"),
    ],
)
def test_clear_appeals_get_their_topic_and_its_body(
    classifier: AppealClassifier, text: str, topic: str
) -> None:
    result = classifier.classify(text)

    assert result.is_appeal is True
    assert result.category == "appeal"
    assert result.topic == topic
    assert result.body_type == BY_ID[topic].body_type
    assert result.body_level == BY_ID[topic].body_level
    assert result.totk_section == BY_ID[topic].section
    assert result.confidence >= classifier.min_confidence
    assert result.reason.startswith(f"{topic} ")


def test_the_result_carries_names_subtopic_places_confidences_and_version(
    classifier: AppealClassifier,
) -> None:
    result = classifier.classify(HEATING)

    assert result.topic_name == "Отопление"
    assert result.subtopic == "housing.heating.outage"
    assert result.subtopic_name == "Нет отопления"
    assert [(p.kind, p.value) for p in result.places] == [
        ("street", "улица ленина"),
        ("house", "дом 5"),
    ]
    assert result.model_version == classifier.version
    assert result.model_version.startswith("clf-")
    assert result.confidences is not None
    assert result.confidences.topic == result.confidence
    assert result.confidences.body_type >= result.confidences.topic


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Спасибо большое за оперативную работу!", "gratitude"),
        ("спасибо что дали воду", "gratitude"),
        ("заработок в интернете от 5000 в день, пиши в личку", "spam"),
        ("чиновники х*ровы ничего не делаете", "abuse"),
    ],
)
def test_non_appeals_are_recognised_and_not_routed(
    classifier: AppealClassifier, text: str, category: str
) -> None:
    result = classifier.classify(text)

    assert result.is_appeal is False
    assert result.topic == "not_appeal"
    assert result.category == category
    assert result.body_type == "regional_control_centre"
    assert result.urgent is False


@pytest.mark.parametrize(
    "text", ["в подъезде сильный запах газа", "ПАХНЕТ ГАЗОМ в подъезде дома 5!!!"]
)
def test_a_gas_smell_is_urgent_by_rule(classifier: AppealClassifier, text: str) -> None:
    result = classifier.classify(text)

    assert result.is_appeal is True
    assert result.urgent is True
    assert "urgent: " in result.reason
    assert result.confidences is not None
    assert result.confidences.urgency >= 0.9


def test_an_urgency_marker_keeps_a_text_an_appeal_whatever_it_reads_like(
    classifier: AppealClassifier,
) -> None:
    result = classifier.classify("спасибо, но у нас пожар")

    assert result.is_appeal is True
    assert result.urgent is True


def test_below_the_threshold_the_appeal_goes_to_triage_with_the_candidates(
    models: Models, lemmatiser: Lemmatiser
) -> None:
    demanding = at_threshold(models, lemmatiser, 0.99)
    mixed = "батареи холодные, воды нет, а у дома 7 на дороге яма"
    best = at_threshold(models, lemmatiser, 0.0).classify(mixed)

    result = demanding.classify(mixed)

    assert best.confidence < 0.99
    assert result.is_appeal is True
    assert result.topic == "other"
    assert result.body_type == "regional_control_centre"
    assert result.subtopic is None
    assert result.confidence == best.confidence
    assert result.reason.startswith(f"unsure: {best.topic} ")
    assert result.places  # the operator still sees where


def test_at_threshold_zero_nothing_goes_to_triage_for_doubt(
    models: Models, lemmatiser: Lemmatiser
) -> None:
    lenient = at_threshold(models, lemmatiser, 0.0)

    for text in ("здравствуйте, подскажите пожалуйста", "дорога и вода и газ, подскажите"):
        assert not lenient.classify(text).reason.startswith("unsure"), text


@pytest.mark.parametrize(
    ("text", "category", "reason"),
    [
        ("", "chatter", "no words"),
        ("   \n\t", "chatter", "no words"),
        ("😡😡😡", "chatter", "no words"),
        ("!!! ???", "chatter", "no words"),
        ("https://vk.cc/abc123 www.example.com", "spam", "only links"),
    ],
)
def test_texts_without_words_are_not_appeals(
    classifier: AppealClassifier, text: str, category: str, reason: str
) -> None:
    result = classifier.classify(text)

    assert result.is_appeal is False
    assert result.topic == "not_appeal"
    assert result.category == category
    assert result.reason.startswith(reason)


@pytest.mark.parametrize(
    "text", ["Hello, there is no water in my flat", "Dzień dobry, nie ma wody"]
)
def test_text_in_another_language_goes_to_triage(classifier: AppealClassifier, text: str) -> None:
    result = classifier.classify(text)

    assert result.is_appeal is True
    assert result.topic == "other"
    assert result.confidence == 0.0
    assert result.reason == "not in Russian"


@pytest.mark.parametrize(
    "text",
    [
        ("третий день нет отопления в квартире " * 2_000)[:50_000],
        "а" * 50_000,
        "😡" * 50_000,
        "ул. " * 12_500,
        "№" * 50_000,
        "\x00\u200b\ufeff" * 1_000,
    ],
    ids=["long-appeal", "one-long-word", "emoji", "street-markers", "signs", "control-chars"],
)
def test_bad_input_is_classified_without_an_exception(
    classifier: AppealClassifier, text: str
) -> None:
    result = classifier.classify(text)

    assert isinstance(result, Classification)
    assert result.is_appeal is False or result.topic in ("other", *BY_ID)
    assert 0.0 <= result.confidence <= 1.0


def test_a_long_appeal_is_classified_by_its_beginning(classifier: AppealClassifier) -> None:
    text = ("третий день нет отопления в квартире батареи холодные " * 2_000)[:50_000]

    assert classifier.classify(text).topic == "housing.heating"


def test_thanks_followed_by_a_request_is_an_appeal(classifier: AppealClassifier) -> None:
    assert classifier.classify("Спасибо, но когда отремонтируют дорогу?").is_appeal is True
    assert classifier.classify("Спасибо большое за оперативную работу!").is_appeal is False


def test_every_appeal_carries_its_three_likeliest_topics_best_first(
    models: Models, lemmatiser: Lemmatiser
) -> None:
    mixed = "батареи холодные, воды нет, а у дома 7 на дороге яма"
    routed = at_threshold(models, lemmatiser, 0.0).classify(mixed)
    unsure = at_threshold(models, lemmatiser, 0.99).classify(mixed)

    for result in (routed, unsure):
        topics = [c.topic for c in result.candidates]
        probabilities = [c.probability for c in result.candidates]
        assert len(topics) == 3 == len(set(topics))
        assert probabilities == sorted(probabilities, reverse=True)
        assert sum(probabilities) <= 1.0 + 1e-9
        assert all(c.topic_name for c in result.candidates)
    # The first candidate is the decision when routed, and what triage is offered first.
    assert routed.candidates[0].topic == routed.topic
    assert routed.candidates[0].probability == routed.confidence
    assert unsure.topic == "other" and unsure.candidates == routed.candidates
    assert unsure.reason.startswith(f"unsure: {routed.candidates[0].topic} ")


def test_non_appeals_carry_no_topic_candidates(classifier: AppealClassifier) -> None:
    result = classifier.classify("Спасибо большое за чистый двор!")
    assert result.is_appeal is False and result.candidates == ()


def test_the_triage_threshold_is_the_models_but_never_below_the_floor(models: Models) -> None:
    from dataclasses import replace

    from classifier.domain.classify import TRIAGE_FLOOR, triage_threshold

    low = replace(models, topic=replace(models.topic, threshold=0.2))
    high = replace(models, topic=replace(models.topic, threshold=0.8))
    assert triage_threshold(low) == TRIAGE_FLOOR  # vague appeals still reach a person
    assert triage_threshold(high) == 0.8  # the precision target asks for more
    assert triage_threshold(high, override=0.3) == 0.3  # CLASSIFIER_MIN_CONFIDENCE wins


def at_threshold(models: Models, lemmatiser: Lemmatiser, min_confidence: float) -> AppealClassifier:
    return classifier_for(models, lemmatiser, min_confidence=min_confidence)


def test_a_vague_appeal_is_learnt_as_other_and_goes_to_triage(
    models: Models, lemmatiser: Lemmatiser
) -> None:
    lenient = at_threshold(models, lemmatiser, 0.0)  # however sure: "other" is no topic

    result = lenient.classify("помогите, сколько можно терпеть, когда это закончится")

    assert "other" in models.topic.classes
    assert (result.topic, result.is_appeal, result.subtopic) == ("other", True, None)
    assert result.reason.startswith("unclear")
    assert result.candidates and all(c.topic != "other" for c in result.candidates)
