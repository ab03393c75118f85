"""Features for the linear models: lemmas, lemma pairs, letter n-grams, keywords and shape.

Lemmas generalise over Russian inflection; letter n-grams of the written words survive typos
("отапление", "батореи"); rubricator keywords carry knowledge that 70 examples per topic
cannot; shape signals (a question mark, a link, masked swearing) tell requests from chatter.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from classifier.domain.rubricator import TOPICS, Topic
from classifier.domain.text import MAX_WORD, Analysed, Lemmatiser

FEATURES_VERSION = "f5"  # bump when the features change: it is part of the model version
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:ru|com|net|org|рф|me|io)\b|t\.me/")
_MASKED = re.compile(r"\w[*#@]+\w?|\w\*")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")
_LEN_BUCKETS = ((0, "0"), (3, "1-3"), (10, "4-10"), (30, "11-30"))


@dataclass(frozen=True)
class Keyword:
    topic: str
    subtopic: str
    lemmas: tuple[str, ...]  # one lemma, or two for a phrase


@dataclass(frozen=True)
class Lexicon:
    """The rubricator's keywords, lemmatised once, indexed by their first lemma."""

    keywords: tuple[Keyword, ...]
    _by_first: dict[str, tuple[Keyword, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_first: dict[str, list[Keyword]] = {}
        for keyword in self.keywords:
            by_first.setdefault(keyword.lemmas[0], []).append(keyword)
        object.__setattr__(self, "_by_first", {k: tuple(v) for k, v in by_first.items()})

    @classmethod
    def build(cls, lemmatiser: Lemmatiser, topics: Iterable[Topic] = TOPICS) -> "Lexicon":
        """Lemmatise every subtopic keyword the same way texts are lemmatised."""
        found = [
            Keyword(topic.id, sub.id, tuple(lemmatiser.lemma(w) for w in kw.split("_")))
            for topic in topics
            for sub in topic.subtopics
            for kw in sub.keywords
        ]
        return cls(tuple(found))

    def hits(self, text: Analysed) -> list[Keyword]:
        """The keywords present in a text, a phrase as consecutive lemmas (in no set order)."""
        pairs = set(zip(text.lemmas, text.lemmas[1:], strict=False))
        return [
            keyword
            for lemma in set(text.lemmas)
            for keyword in self._by_first.get(lemma, ())
            if len(keyword.lemmas) == 1 or (lemma, keyword.lemmas[1]) in pairs
        ]


def extract(text: Analysed, hits: list[Keyword]) -> list[str]:
    """Every feature of a text, repeated as often as it occurs (the vectoriser counts)."""
    features: list[str] = []
    for word, lemma in zip(text.words, text.lemmas, strict=True):
        features += word_features(word, lemma)
    return features + text_features(text, hits)


def word_features(word: str, lemma: str) -> tuple[str, ...]:
    """The features one word gives wherever it stands: its lemma and its letter n-grams."""
    return (f"w:{lemma}", *_letter_ngrams(word))


def text_features(text: Analysed, hits: list[Keyword]) -> list[str]:
    """The features of the text as a whole: lemma pairs, keywords and shape."""
    features = [f"b:{a} {b}" for a, b in zip(text.lemmas, text.lemmas[1:], strict=False)]
    features += [f"k:{k.topic}" for k in hits]
    return features + shape(text)


def shape(text: Analysed) -> list[str]:
    """Signals of form rather than content, which tell requests from chatter and spam."""
    raw = text.raw
    signals = [f"s:len{_length_bucket(len(text.words))}"]
    checks = (
        ("question", "?" in raw),
        ("exclaim", "!" in raw),
        ("link", "." in raw and bool(_LINK.search(text.lower))),  # cheap test first
        ("masked", any(c in raw for c in "*#@") and bool(_MASKED.search(raw))),
        ("emoji", bool(_EMOJI.search(raw))),
        ("digits", any(w.isdigit() for w in text.words)),
        ("formal", text.formal),
        ("thanks_end", text.thanks_at_end),
    )
    return signals + [f"s:{name}" for name, present in checks if present]


def readable(feature: str) -> str:
    """A feature as an operator can read it in a classification's reason."""
    kind, _, value = feature.partition(":")
    return {"c": f"…{value}…", "k": f"keyword of {value}", "s": f"[{value}]"}.get(kind, value)


def _letter_ngrams(word: str) -> tuple[str, ...]:
    if not 3 <= len(word) <= MAX_WORD or not ("а" <= word[0] <= "я"):
        return ()  # a 5,000-letter "word" would give 15,000 n-grams of noise
    padded = f"<{word}>"
    return tuple(f"c:{padded[i : i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1))


def _length_bucket(count: int) -> str:
    return next((name for limit, name in _LEN_BUCKETS if count <= limit), "31+")
