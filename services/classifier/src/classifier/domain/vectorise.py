"""A text's features straight to its vector, each word form's share worked out once.

`extract` builds thousands of feature strings for a long appeal (a lemma and about fifteen
letter n-grams a word), and looking them up was most of the time a classification took. A
word form always gives the same features, so its vocabulary indices are remembered; only the
lemma pairs, keywords and shape are looked up for each text. The result equals
`vectoriser.transform(extract(text, hits))`, which a unit test keeps true.
"""

from classifier.domain.features import Keyword, text_features, word_features
from classifier.domain.linear import SparseVector, Vectoriser
from classifier.domain.text import Analysed


class TextVectoriser:
    """Analysed text and keyword hits to the models' input vector, with a bounded word memo."""

    def __init__(self, vectoriser: Vectoriser, *, cache_size: int = 200_000) -> None:
        self.vectoriser = vectoriser
        self._words: dict[str, list[int]] = {}
        self._cache_size = cache_size

    def transform(self, text: Analysed, hits: list[Keyword]) -> SparseVector:
        """The TF-IDF vector of the text, as the models were trained on."""
        known: list[int] = []
        for word, lemma in zip(text.words, text.lemmas, strict=True):
            indices = self._words.get(word)
            if indices is None:
                indices = self._remember(word, lemma)
            known += indices
        known += self.vectoriser.known(text_features(text, hits))
        return self.vectoriser.weigh(known)

    def _remember(self, word: str, lemma: str) -> list[int]:
        indices = self.vectoriser.known(word_features(word, lemma))
        if len(self._words) < self._cache_size:  # a flood of unique garbage cannot grow it
            self._words[word] = indices
        return indices
