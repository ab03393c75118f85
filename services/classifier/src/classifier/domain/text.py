"""Text as the models see it: lower-case words with ё folded, and their lemmas.

Lemmatisation is the throughput risk (pymorphy3 takes tens of microseconds per word form), so
every word form is analysed once and remembered; residents reuse a small vocabulary, and the
cache is bounded so a flood of unique garbage cannot grow it without limit. The forms met in
training ship with the model and preload the cache.
"""

import html
import re
from dataclasses import dataclass
from typing import Protocol

from classifier.domain.formulas import closing_thanks, strip_formulas

MAX_CHARS = 5_000  # the problem is stated at the start; the rest of a 50,000-char text is noise
MAX_TOKENS = 400
MAX_WORD = 30  # longer "words" are URLs, hashes or keyboard mashing: not worth analysing
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,300}>|<!--.{0,300}?-->", re.DOTALL)
_WORDS = re.compile(r"[а-яё]+(?:-[а-яё]+)*|[a-z]+|\d+")


class MorphAnalyser(Protocol):
    """The part of pymorphy3.MorphAnalyzer the lemmatiser uses."""

    def parse(self, word: str) -> list[object]: ...


@dataclass(frozen=True)
class Analysed:
    """A text ready for features and rules."""

    raw: str  # the (truncated, unmarked) original, for rules that need case or punctuation
    lower: str  # lower case, ё folded
    words: tuple[str, ...]  # without formulas of politeness and officialese (domain.formulas)
    lemmas: tuple[str, ...]
    formal: bool = False  # whether it had such formulas
    thanks_at_end: bool = False  # whether it closed with a thanks (dropped from the words)


def unmarked(text: str) -> str:
    """The text of an HTML form submission: tags as spaces, entities as the characters they are.

    Markup words ("p", "br", "nbsp") told the models nothing and hid a closing «Спасибо.» behind
    a "</p>"; places and rules read the text as a person sees it.
    """
    if "<" not in text and "&" not in text:
        return text
    return html.unescape(_TAG.sub(" ", text))


def fold(text: str) -> str:
    """Lower case with ё as е: how residents type and how the features compare."""
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """The words and numbers of an already folded text, at most MAX_TOKENS of them."""
    return _WORDS.findall(text)[:MAX_TOKENS]


class Lemmatiser:
    """Word form to lemma, through pymorphy3, with a bounded memo."""

    def __init__(self, morph: MorphAnalyser, *, cache_size: int = 200_000) -> None:
        self._morph = morph
        self._cache: dict[str, str] = {}
        self._cache_size = cache_size

    def lemma(self, word: str) -> str:
        """The lemma of a folded word form; numbers, Latin and very long words stay as they are."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        lemma = self._analyse(word)
        if len(self._cache) < self._cache_size:
            self._cache[word] = lemma
        return lemma

    def known(self) -> dict[str, str]:
        """The word forms analysed so far and their lemmas: shipped with the model."""
        return dict(self._cache)

    def preload(self, table: dict[str, str]) -> None:
        """Start with a table of known forms, so a fresh process does not start cold."""
        for word, lemma in list(table.items())[: self._cache_size - len(self._cache)]:
            self._cache.setdefault(word, lemma)

    def analyse(self, text: str) -> Analysed:
        """Truncate, fold, split into words, lemmatise and drop the formulas."""
        raw = unmarked(text[:MAX_CHARS])
        lower = fold(raw)
        found = words(lower)
        lemmas = [self.lemma(w) for w in found]
        closing = closing_thanks(lemmas)
        if closing:
            found, lemmas = found[:-closing], lemmas[:-closing]
        keep = strip_formulas(lemmas)
        if len(keep) == len(found):
            return Analysed(raw, lower, tuple(found), tuple(lemmas), thanks_at_end=bool(closing))
        kept_words, kept_lemmas = (tuple(sequence[i] for i in keep) for sequence in (found, lemmas))
        return Analysed(raw, lower, kept_words, kept_lemmas, True, bool(closing))

    def _analyse(self, word: str) -> str:
        if len(word) > MAX_WORD or not ("а" <= word[0] <= "я"):
            return word
        parses = self._morph.parse(word)
        normal: str = getattr(parses[0], "normal_form", word) if parses else word
        return normal.replace("ё", "е")
