"""The fast path equals the reference one; formulas and embeddings do what they claim."""

import numpy as np
import pytest

from classifier.adapters.navec_vectors import embedder_for, load_vectors
from classifier.domain.classify import AppealClassifier, Models
from classifier.domain.embeddings import TextEmbedder
from classifier.domain.features import Lexicon, extract, shape
from classifier.domain.formulas import strip_formulas
from classifier.domain.linear import Floats, LinearModel, StackedModels, Vectoriser
from classifier.domain.text import Lemmatiser
from classifier.domain.vectorise import TextVectoriser

TEXTS = (
    "Уважаемая администрация! Прошу рассмотреть вопрос о ремонте кровли дома 5. С уважением",
    "батареи холодные батареи холодные, отопления нет третий день",
    "в парадной на Лежневской 120 воняет из подвала, крысы бегают",
    "",
    "a" * 40 + " нет воды " + "x" * 5000,
)


@pytest.mark.parametrize("text", TEXTS)
def test_the_word_memo_gives_the_reference_vector(
    models: Models, lemmatiser: Lemmatiser, text: str
) -> None:
    lexicon = Lexicon.build(lemmatiser)
    fast = TextVectoriser(models.vectoriser, cache_size=3)
    analysed = lemmatiser.analyse(text)
    hits = lexicon.hits(analysed)

    reference = models.vectoriser.transform(extract(analysed, hits))
    for _ in range(2):  # cold, then from the memo
        vector = fast.transform(analysed, hits)
        assert np.array_equal(vector.indices, reference.indices)
        assert np.allclose(vector.values, reference.values)


def test_stacked_models_score_as_each_model_alone() -> None:
    rng = np.random.default_rng(7)
    vectoriser = Vectoriser([f"w:{i}" for i in range(6)], np.ones(6, np.float32))
    models = [
        LinearModel(
            tuple("abc"[:n]),
            rng.normal(size=(6, n)).astype(np.float32),
            rng.normal(size=n).astype(np.float32),
            temperature=t,
            dense_weights=rng.normal(size=(4, n)).astype(np.float32),
        )
        for n, t in ((3, 1.0), (2, 0.5))
    ]
    vector = vectoriser.transform(["w:1", "w:4", "w:4"])
    dense = rng.normal(size=4).astype(np.float32)

    together = StackedModels(models).probabilities(vector, dense)

    for model, probabilities in zip(models, together, strict=True):
        assert np.allclose(probabilities, model.probabilities(vector, dense), atol=1e-6)
    assert not np.allclose(together[0], models[0].probabilities(vector))  # the dense part counts


def test_formulas_of_politeness_and_officialese_are_dropped(lemmatiser: Lemmatiser) -> None:
    letter = lemmatiser.analyse(
        "Уважаемая администрация! Здравствуйте. Прошу рассмотреть в соответствии с законом "
        "вопрос о протечке кровли. На основании вышеизложенного прошу принять меры. "
        "С уважением, заранее спасибо"
    )

    assert letter.formal
    assert "администрация" not in letter.lemmas
    assert {"уважаемый", "здравствуйте", "вышеизложенный", "соответствие"}.isdisjoint(letter.lemmas)
    assert {"протечка", "кровля", "закон", "принять", "мера"} <= set(letter.lemmas)
    assert "s:formal" in shape(letter)


def test_words_that_carry_the_topic_stay(lemmatiser: Lemmatiser) -> None:
    complaint = lemmatiser.analyse("спасибо, но администрация не ответила на моё обращение")

    assert not complaint.formal and not complaint.thanks_at_end
    assert {"администрация", "обращение", "спасибо"} <= set(complaint.lemmas)
    assert strip_formulas(["уважаемый", "жилец", "дом"]) == [1, 2]


@pytest.mark.parametrize(
    ("text", "closed", "left"),
    [
        ("Нет места в детском саду. Спасибо", True, ("нет", "места", "в", "детском", "саду")),
        ("Дорогу отремонтировали. Спасибо большое!", True, ("дорогу", "отремонтировали")),
        ("Большое спасибо", False, ("большое", "спасибо")),  # the thanks is the message
        ("Спасибо, но когда уберут мусор?", False, ("спасибо", "но", "когда", "уберут", "мусор")),
    ],
)
def test_a_closing_thanks_is_a_sign_off_not_the_message(
    lemmatiser: Lemmatiser, text: str, closed: bool, left: tuple[str, ...]
) -> None:
    analysed = lemmatiser.analyse(text)

    assert analysed.thanks_at_end is closed
    assert analysed.words == left
    assert ("s:thanks_end" in shape(analysed)) is closed


class _Table:
    name, dimensions = "fake", 2

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors, self.asked = vectors, []  # type: list[str]

    def get(self, word: str) -> Floats | None:
        self.asked.append(word)
        found = self.vectors.get(word)
        return None if found is None else np.array(found, np.float32)


def test_a_text_embeds_as_the_mean_of_its_content_words(lemmatiser: Lemmatiser) -> None:
    table = _Table({"батарея": [3.0, 0.0], "труба": [0.0, 5.0], "и": [9.0, 9.0]})
    embedder = TextEmbedder(table)

    vector = embedder.embed(lemmatiser.analyse("батареи и трубы и абракадабра"))
    embedder.embed(lemmatiser.analyse("батареи"))

    assert np.allclose(vector, [0.5, 0.5])  # unit vectors averaged; «и» and unknowns skipped
    assert table.asked.count("батарея") == 1  # remembered
    assert np.array_equal(embedder.embed(lemmatiser.analyse("и и")), [0.0, 0.0])


def test_a_model_trained_with_embeddings_refuses_to_run_without(models: Models) -> None:
    needs = models.embeddings is not None
    lemmatiser = Lemmatiser(_NoMorph())

    if needs:
        with pytest.raises(ValueError, match="needs embeddings"):
            AppealClassifier(models, lemmatiser, min_confidence=0.5)
    else:
        pytest.fail("the fixture model is trained with the default parameters: with embeddings")


def test_navec_puts_an_unseen_word_near_what_it_means() -> None:
    table = load_vectors()

    def similarity(a: str, b: str) -> float:
        x, y = table.get(a), table.get(b)
        assert x is not None and y is not None
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    assert similarity("подъезд", "лифт") > similarity("подъезд", "школа")
    assert similarity("крыша", "кровля") > similarity("крыша", "автобус")
    assert table.get("абырвалгщ") is None


def test_the_loaded_model_gets_the_embedder_it_was_trained_with(models: Models) -> None:
    embedder = embedder_for(models)

    assert embedder is not None and embedder.name == models.embeddings


class _NoMorph:
    def parse(self, word: str) -> list[object]:
        return []


def test_a_form_submission_is_read_without_its_markup(lemmatiser: Lemmatiser) -> None:
    form = lemmatiser.analyse(
        "<p>Здравствуйте!<br>В школе № 9 <b>не работает столовая</b>,&nbsp;дети без обедов."
        "</p><!-- форма 7 --><p>Спасибо.</p>"
    )

    assert form.words == ("в", "школе", "9", "не", "работает", "столовая", "дети", "без", "обедов")
    assert form.formal and form.thanks_at_end
    assert "\xa0" in form.raw and "<" not in form.raw  # &nbsp; is a space, tags are gone
    assert lemmatiser.analyse("если 3 < 5 и 7 > 2").words == ("если", "3", "5", "и", "7", "2")
