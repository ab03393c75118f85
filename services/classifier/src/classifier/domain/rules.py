"""Rules where rules beat a model trained on a few thousand texts: danger, and unreadable input.

Urgency markers are sets of lemmas that must all occur in the text (in any order): a gas smell,
a fire, a burst main, wires on the ground, no heating in frost. A marker makes an appeal urgent
whatever the model says, and keeps it an appeal even if the text reads like chatter: a missed
danger costs more than an operator's glance.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from classifier.domain.text import Analysed, Lemmatiser, words

_URGENT_MARKERS = (
    "запах газ", "пахнуть газ", "утечка газ", "газ вонять", "пожар", "возгорание", "задымление",
    "взрыв", "обрушение", "обрушиться", "рухнуть", "провод оборвать", "провод висеть",
    "провод земля", "искрить", "прорыв", "затопить", "кипяток", "потоп", "авария", "дтп",
    "угроза жизнь", "опасность жизнь", "провалиться лед", "тонуть", "отопление мороз",
    "отопление замерзать", "батарея мороз", "свет мороз", "ребенок мерзнуть", "пропасть ребенок",
)  # fmt: skip
_BUT = frozenset({"но", "однако", "только", "а"})
_ASKING = frozenset({"когда", "почему", "просить", "помочь", "сколько", "где", "кто", "зачем"})
_LINKS = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:ru|com|net|org|рф|me|io)(?:/\S*)?")
_CYRILLIC_WORD = re.compile(r"[а-яё]{2,}")


class Unreadable(StrEnum):
    """Why a text cannot be classified by content."""

    NO_WORDS = "no words: empty, emoji or punctuation only"
    ONLY_LINKS = "only links"
    NOT_RUSSIAN = "not in Russian"


@dataclass(frozen=True)
class UrgencyRules:
    markers: tuple[frozenset[str], ...]
    names: tuple[str, ...]

    @classmethod
    def build(cls, lemmatiser: Lemmatiser) -> "UrgencyRules":
        """Lemmatise the markers the way texts are lemmatised."""
        sets = tuple(frozenset(lemmatiser.lemma(w) for w in m.split()) for m in _URGENT_MARKERS)
        return cls(sets, _URGENT_MARKERS)

    def matched(self, text: Analysed) -> list[str]:
        """The urgency markers found in a text."""
        lemmas = set(text.lemmas)
        return [name for name, m in zip(self.names, self.markers, strict=True) if m <= lemmas]


def unreadable(text: Analysed) -> Unreadable | None:
    """Why a text has no content to classify, or None when it has some."""
    if not text.words:
        return Unreadable.NO_WORDS
    without_links = _LINKS.sub(" ", text.lower) if "." in text.lower else text.lower
    if not words(without_links):
        return Unreadable.ONLY_LINKS
    if not _CYRILLIC_WORD.search(without_links):
        return Unreadable.NOT_RUSSIAN
    return None


def asks_after_thanks(text: Analysed) -> bool:
    """ "Спасибо, но когда уберут мусор?": thanks followed by a request is an appeal."""
    lemmas = set(text.lemmas)
    return bool(lemmas & _BUT) and ("?" in text.raw or bool(lemmas & _ASKING))
