"""Text normalisation, urgency markers and unreadable input."""

import pytest

from classifier.domain.features import Lexicon, extract, readable, shape
from classifier.domain.rules import Unreadable, UrgencyRules, unreadable
from classifier.domain.text import MAX_CHARS, MAX_TOKENS, Lemmatiser, fold, words


def test_fold_lowers_case_and_folds_yo() -> None:
    assert fold("ГОЛОЛЁД на тротуаре") == "гололед на тротуаре"


def test_words_keeps_cyrillic_latin_and_numbers_and_is_bounded() -> None:
    assert words("ул.ленина,5 — нет  воды wifi") == ["ул", "ленина", "5", "нет", "воды", "wifi"]
    assert len(words("слово " * 1_000)) == MAX_TOKENS


def test_lemmas_fold_inflection_and_yo(lemmatiser: Lemmatiser) -> None:
    analysed = lemmatiser.analyse("Батареи не ГРЕЮТ, гололёд")

    assert analysed.lemmas == ("батарея", "не", "греть", "гололед")


def test_long_text_is_truncated_before_analysis(lemmatiser: Lemmatiser) -> None:
    analysed = lemmatiser.analyse("слово " * 20_000)

    assert len(analysed.raw) == MAX_CHARS
    assert len(analysed.words) == MAX_TOKENS


def test_the_lemma_cache_is_bounded(lemmatiser: Lemmatiser) -> None:
    from classifier.domain.text import Lemmatiser as Fresh

    small = Fresh(lemmatiser._morph, cache_size=2)
    for word in ("дом", "дома", "домом", "домами"):
        small.lemma(word)

    assert len(small._cache) == 2
    assert small.lemma("домами") == "дом"


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("в подъезде запах газа", "запах газ"),
        ("ГАЗОМ ПАХНЕТ", "пахнуть газ"),
        ("провод оборвали, висит над дорогой", "провод оборвать"),
        ("квартиру затопило кипятком", "затопить"),
        ("дети без отопления, на улице мороз -25", "отопление мороз"),
        ("горит сарай, пожар!", "пожар"),
    ],
)
def test_urgency_markers(lemmatiser: Lemmatiser, text: str, marker: str) -> None:
    rules = UrgencyRules.build(lemmatiser)

    assert marker in rules.matched(lemmatiser.analyse(text))


@pytest.mark.parametrize("text", ["фонари не горят", "газон разбили машинами", "яма на дороге"])
def test_ordinary_complaints_match_no_urgency_marker(lemmatiser: Lemmatiser, text: str) -> None:
    assert UrgencyRules.build(lemmatiser).matched(lemmatiser.analyse(text)) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", Unreadable.NO_WORDS),
        ("👍👍", Unreadable.NO_WORDS),
        ("http://spam.example/x?y=1", Unreadable.ONLY_LINKS),
        ("t.me/channel vk.com/club1", Unreadable.ONLY_LINKS),
        ("Hello, is anybody there?", Unreadable.NOT_RUSSIAN),
        ("нет воды", None),
        ("нет воды https://t.me/x", None),
        ("ok вода", None),
    ],
)
def test_unreadable_input(lemmatiser: Lemmatiser, text: str, why: Unreadable | None) -> None:
    assert unreadable(lemmatiser.analyse(text)) == why


def test_features_carry_lemmas_pairs_letters_keywords_and_shape(lemmatiser: Lemmatiser) -> None:
    analysed = lemmatiser.analyse("Нет отопления?! https://t.me/x бл*")
    hits = Lexicon.build(lemmatiser).hits(analysed)

    features = extract(analysed, hits)

    assert {"w:отопление", "b:нет отопление", "c:<отоп", "k:housing.heating"} <= set(features)
    assert {"s:question", "s:exclaim", "s:link", "s:masked"} <= set(shape(analysed))


def test_phrase_keywords_need_their_words_together(lemmatiser: Lemmatiser) -> None:
    lexicon = Lexicon.build(lemmatiser)

    together = lexicon.hits(lemmatiser.analyse("нет горячей воды"))
    apart = lexicon.hits(lemmatiser.analyse("горячий чай, а воды нет"))

    assert "housing.water.hot" in {k.subtopic for k in together}
    assert "housing.water.hot" not in {k.subtopic for k in apart}


def test_features_read_well_in_a_reason() -> None:
    assert readable("w:батарея") == "батарея"
    assert readable("c:<отоп") == "…<отоп…"
    assert readable("k:housing.heating") == "keyword of housing.heating"


def test_the_forms_met_in_training_preload_a_fresh_lemmatiser(lemmatiser: Lemmatiser) -> None:
    trained = Lemmatiser(lemmatiser._morph)
    trained.analyse("батареи не греют")
    fresh = Lemmatiser(lemmatiser._morph, cache_size=10)

    fresh.preload(trained.known())

    assert fresh.known() == {"батареи": "батарея", "не": "не", "греют": "греть"}


def test_a_giant_word_adds_no_letter_ngrams(lemmatiser: Lemmatiser) -> None:
    analysed = lemmatiser.analyse("а-" * 25_000)

    features = extract(analysed, [])

    assert len(analysed.words) == 1
    assert not [f for f in features if f.startswith("c:")]
