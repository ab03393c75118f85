"""Bodies an appeal names: "школа 2", "ГКБ № 7", "садик 4", "Шуйский водоканал", "в МФЦ".

The classifier reports numbered institutions only in their tidy forms ("школа № 5", "5-я
школа"); residents also write "школа 2", "садик 4" and "ГКБ № 7", so the router reads the text
itself. Organisations are named by their own names, inflected ("в Ивановскую теплосетевую
компанию"): every word of a body's name or alias must start a word of the text in order, up to
its last two letters, which is how Russian inflects such names.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from router.domain.directory import Body, BodyKind
from router.domain.street_names import fold

_TYPES: tuple[tuple[str, BodyKind], ...] = (
    (r"школ[а-я]*|шк\.?|гимнази[а-я]*|лице[йяюе][а-я]*|сош", BodyKind.SCHOOL),
    (r"спортшкол[а-я]*|спортивн[а-я]+\s+школ[а-я]*|дюсш|сшор", BodyKind.SPORT_INSTITUTION),
    (r"детск[а-я]+\s+сад[а-я]*|детсад[а-я]*|садик[а-я]*|сад[а-я]*|д/с|доу|ясл[а-я]*",
     BodyKind.KINDERGARTEN),
    (r"поликлиник[а-я]*|амбулатори[а-я]*", BodyKind.CLINIC),
    (r"больниц[а-я]*|гкб|гб|црб|роддом[а-я]*", BodyKind.HOSPITAL),
)  # fmt: skip


def _literals(types: str) -> tuple[str, ...]:
    """What starts each alternative ("школ" of "школ[а-я]*"): every match holds one of them."""
    return tuple(re.split(r"[\[\\?*+(]", alt, maxsplit=1)[0] for alt in types.split("|"))


_NUMBER = r"(?:№|n|номер)?\s*(?P<{}>\d{{1,3}})(?:-?(?:я|й|ой|ая|ую|ю|ий|го|ом|ей))?"
_PATTERNS = tuple(
    (
        _literals(types),
        re.compile(
            rf"(?<![а-яё\d])(?:(?:{types})\s*{_NUMBER.format('after')}(?![\d.,]\d)"
            rf"|{_NUMBER.format('before')}\s+(?:{types}))(?![а-яё])",
            re.IGNORECASE,
        ),
        kind,
    )
    for types, kind in _TYPES
)
_PLURAL = re.compile(r"(?:ах|ях|ам|ям|ами|ями|ов|ев|ых|их|школ|больниц|поликлиник)$", re.I)
_WORD = re.compile(r"[а-яёa-z0-9]+")
_QUOTED = re.compile(r"[«\"](.+?)[»\"]")
_NAMED_KINDS = frozenset({BodyKind.MFC, BodyKind.FEDERAL_TERRITORIAL})


@dataclass(frozen=True)
class NumberedMention:
    kind: BodyKind
    number: int
    text: str


def numbered_institutions(text: str) -> list[NumberedMention]:
    """Numbered institutions the text names, in order."""
    found = []
    lowered = text.lower()
    for literals, pattern, kind in _PATTERNS:
        if not any(literal in lowered for literal in literals):
            continue  # most texts name no institution: five scans of each cost a tenth
        for match in pattern.finditer(text):
            if match["before"] and _PLURAL.search(match[0]):
                continue  # "на 2 школах", "12 детских садов": how many, not which
            number = match["after"] or match["before"]
            found.append((match.start(), NumberedMention(kind, int(number), match[0].strip())))
    # "спортивная школа 4" is also "школа 4": the longer, more specific mention wins
    found.sort(key=lambda f: (f[0], -len(f[1].text)))
    return _without_overlaps(found)


def _without_overlaps(found: list[tuple[int, NumberedMention]]) -> list[NumberedMention]:
    kept: list[NumberedMention] = []
    end = -1
    for start, mention in found:
        if start >= end:
            kept.append(mention)
            end = start + len(mention.text)
    return kept


class NameIndex:
    """Organisations, institutions and federal bodies by the names residents use: the quoted
    part of the official name and the directory's aliases."""

    def __init__(self, bodies: Iterable[Body]) -> None:
        keys: list[tuple[tuple[str, ...], Body]] = []
        for body in bodies:
            for name in _names(body):
                stems = tuple(_stem(w) for w in _WORD.findall(fold(name)))
                if stems:
                    keys.append((stems, body))
        keys.sort(key=lambda k: -len(k[0]))  # the longest name first
        # By the first two letters of a name's first word: a text looks only at the names
        # its own words could start (a scan of every name took most of routing's time).
        self._by_start: dict[str, list[tuple[int, tuple[str, ...], Body]]] = {}
        for order, (stems, body) in enumerate(keys):
            self._by_start.setdefault(stems[0][:2], []).append((order, stems, body))

    def find(self, text: str) -> list[Body]:
        """The bodies the text names, longest name first, each once."""
        words = _WORD.findall(fold(text))
        by_start: dict[str, list[str]] = {}
        for word in words:
            by_start.setdefault(word[:2], []).append(word)
        # A name whose first stem starts none of the words is not there: most candidates go
        # before the word-by-word look.
        candidates = sorted(
            (order, stems, body)
            for start, starting in by_start.items()
            for order, stems, body in self._by_start.get(start, ())
            if any(word.startswith(stems[0]) for word in starting)
        )
        found: dict[str, Body] = {}
        for _, stems, body in candidates:
            if body.id not in found and _contains(words, stems):
                found[body.id] = body
        return list(found.values())


def _names(body: Body) -> list[str]:
    if not (body.is_organisation or body.is_institution or body.kind in _NAMED_KINDS):
        return []
    return [*(m.group(1) for m in _QUOTED.finditer(body.name)), *body.aliases]


def _contains(words: list[str], stems: tuple[str, ...]) -> bool:
    first, rest = stems[0], stems[1:]
    for i, word in enumerate(words):
        if word.startswith(first) and all(
            i + j + 1 < len(words) and words[i + j + 1].startswith(s) for j, s in enumerate(rest)
        ):
            return True
    return False


def _stem(word: str) -> str:
    """A word without the letters Russian changes when it inflects a name."""
    if len(word) <= 3 or word.isdigit():
        return word
    return word[: len(word) - (1 if len(word) <= 5 else 2)]
