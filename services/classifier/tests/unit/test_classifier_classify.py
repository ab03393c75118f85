"""The rule-based classifier on realistic social-media texts (typos, caps, no punctuation)."""

import pytest

from classifier.domain.classify import RULES_VERSION, classify, normalise
from classifier.domain.rubricator import BY_ID

MIN_CONFIDENCE = 0.5  # the service default


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "третий день нет отопления в квартире батареи холодные когда дадут тепло??",
            "housing.heating",
        ),
        ("ОПЯТЬ НЕТ ОТОПЛЕНИЯ!!! ул ленина 5 батареи ледяные", "housing.heating"),
        (
            "на ул Лежневской огромные ямы на дороге асфальт весь разбит когда отремонтируют",
            "roads.repair",
        ),
        ("ямы на дороге по ул Ленина сколько можно", "roads.repair"),
        ("по двору бегает стая бродячих собак дети боятся выходить помогите", "animals.stray"),
        ("бездомные собаки покусали ребенка у школы", "animals.stray"),
        (
            "невозможно записаться к терапевту в поликлинике №3 запись на месяц вперед",
            "health.care",
        ),
        ("в поликлинике не могу записаться к врачу", "health.care"),
        ("не вывозят мусор неделю контейнеры переполнены", "housing.waste"),
        ("Почему не чистят снег во дворе?", "improvement.snow"),
        ("водитель маршрутки 12 нахамил пассажирам", "transport.public"),
    ],
)
def test_clear_appeals_get_their_topic(text: str, topic: str) -> None:
    result = classify(text, min_confidence=MIN_CONFIDENCE)

    assert result.is_appeal is True
    assert result.topic == topic
    assert result.confidence >= MIN_CONFIDENCE
    assert result.reason.endswith(f"stems of {topic}")


def test_the_result_carries_the_topic_name_body_type_and_rules_version() -> None:
    result = classify("нет отопления батареи холодные", min_confidence=MIN_CONFIDENCE)

    assert result.topic_name == "Отопление"
    assert result.body_type == BY_ID["housing.heating"].body_type
    assert result.model_version == RULES_VERSION
    assert result.urgent is False


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо большое за оперативную работу!",
        "Благодарю за ответ",
        "молодцы что починили фонари",
        "дали воду спасибо",
    ],
)
def test_thanks_are_not_appeals(text: str) -> None:
    result = classify(text, min_confidence=MIN_CONFIDENCE)

    assert result.is_appeal is False
    assert result.topic == "not_appeal"
    assert result.urgent is False


def test_thanks_with_a_question_is_still_an_appeal() -> None:
    result = classify("Спасибо, но когда уберут мусор?", min_confidence=MIN_CONFIDENCE)

    assert result.is_appeal is True
    assert result.topic == "housing.waste"


@pytest.mark.parametrize(
    "text",
    [
        "в доме пахнет газом срочно",
        "в подъезде сильный запах газа что делать",
        "ПАХНЕТ ГАЗОМ в подъезде дома 5!!!",
    ],
)
def test_a_gas_smell_is_urgent(text: str) -> None:
    result = classify(text, min_confidence=MIN_CONFIDENCE)

    assert result.is_appeal is True
    assert result.urgent is True


def test_a_gas_smell_at_home_is_an_emergency() -> None:
    result = classify("в доме пахнет газом срочно", min_confidence=MIN_CONFIDENCE)

    assert result.topic == "safety.emergency"


@pytest.mark.parametrize(
    "text",
    ["без отопления третий день, дети мерзнут", "квартиру затопило кипятком прорыв трубы"],
)
def test_outages_and_floods_are_urgent(text: str) -> None:
    assert classify(text, min_confidence=MIN_CONFIDENCE).urgent is True


@pytest.mark.parametrize("text", ["", "   \n\t", "😡😡😡", "🙏", "!!! ???"])
def test_texts_without_words_are_not_appeals(text: str) -> None:
    result = classify(text, min_confidence=MIN_CONFIDENCE)

    assert result.is_appeal is False
    assert result.topic == "not_appeal"
    assert result.urgent is False


def test_a_text_matching_no_rule_goes_to_triage() -> None:
    result = classify("Здравствуйте, к кому обратиться по моему вопросу?", min_confidence=0.5)

    assert result.is_appeal is True
    assert result.topic == "other"
    assert result.confidence == 0.2
    assert result.reason == "no topic rule matched"


def test_a_topic_below_the_confidence_threshold_goes_to_triage() -> None:
    result = classify("Когда дадут горячую воду", min_confidence=0.9)

    assert result.is_appeal is True
    assert result.topic == "other"
    assert result.confidence == 0.65
    assert result.reason.startswith("ambiguous: housing.water")


def test_a_text_of_the_maximum_length_is_classified() -> None:
    text = ("третий день нет отопления в квартире " * 2_000)[:50_000]

    result = classify(text, min_confidence=MIN_CONFIDENCE)

    assert len(text) == 50_000
    assert result.topic == "housing.heating"
    assert 0.0 <= result.confidence <= 0.95


def test_a_long_text_without_spaces_does_not_fail() -> None:
    result = classify("а" * 50_000, min_confidence=MIN_CONFIDENCE)

    assert result.topic == "other"


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("ГОЛОЛЁД на тротуаре!!!", " гололед на тротуаре "),
        ("ул.Ленина,5 — нет  воды", " ул ленина 5 нет воды "),
    ],
)
def test_normalise_lowers_case_folds_yo_and_keeps_words(text: str, normalised: str) -> None:
    assert normalise(text) == normalised
