"""Formulas of politeness and officialese, kept from deciding the topic.

A formal letter opens with «Уважаемая администрация!», asks to «прошу рассмотреть» and closes
«с уважением»; a portal report ends with «Спасибо». None of that says what the appeal is about,
but as words and letter n-grams it pulled formal letters to the governance topic and thanked
reports ("Нет места в детском саду. Спасибо") to gratitude. The formulas are removed from the
words the models see and replaced by a shape signal each (formal; thanks at the end), which
still tell a request from chatter, and a report that thanks in advance from thanks for work
done ("Дорогу отремонтировали. Спасибо" keeps what says it is done). Only whole formulas go:
«обращение» and «ответ» alone stay, because an appeal about an unanswered appeal is about
exactly that.
"""

from collections.abc import Sequence

# Lemma sequences. An addressee after «уважаемый» goes with it; a name does not need listing:
# a capitalised name is no topic word anyway.
_ADDRESSEES = (
    "администрация", "глава", "губернатор", "мэр", "депутат", "господин", "госпожа",
    "сотрудник", "коллега", "руководство", "специалист", "служба", "коллектив", "житель",
)  # fmt: skip
_FORMULAS: tuple[tuple[str, ...], ...] = (
    *(("уважаемый", who) for who in _ADDRESSEES),
    ("уважаемый",),
    ("здравствуйте",), ("здравствуй",), ("приветствовать",), ("добрый", "день"),
    ("добрый", "вечер"), ("добрый", "утро"), ("добрый", "время", "сутки"),
    ("просить", "рассмотреть"), ("просить", "вы"),
    ("в", "соответствие", "с"), ("на", "основание", "вышеизложенный"),
    ("в", "связь", "с", "вышеизложенный"), ("вышеизложенный",), ("с", "уважение"),
    ("заранее", "спасибо"), ("заранее", "благодарить"), ("спасибо", "за", "внимание"),
    ("обращаться", "к", "вы"), ("настоящий", "письмо"),
)  # fmt: skip
_LONGEST = max(map(len, _FORMULAS))
_KNOWN = frozenset(_FORMULAS)
_STARTS = frozenset(formula[0] for formula in _FORMULAS)  # most words start none: one lookup


def strip_formulas(lemmas: Sequence[str]) -> list[int]:
    """The positions of the words to keep: every word outside a formula, longest formula first."""
    if _STARTS.isdisjoint(lemmas):
        return list(range(len(lemmas)))
    keep, position = [], 0
    while position < len(lemmas):
        length = _formula_at(lemmas, position) if lemmas[position] in _STARTS else 0
        if length:
            position += length
        else:
            keep.append(position)
            position += 1
    return keep


def _formula_at(lemmas: Sequence[str], position: int) -> int:
    for length in range(min(_LONGEST, len(lemmas) - position), 0, -1):
        if tuple(lemmas[position : position + length]) in _KNOWN:
            return length
    return 0


# A thanks that closes a text with something before it: a sign-off, not the message.
_CLOSINGS = frozenset({
    ("спасибо",), ("спасибо", "большой"), ("большой", "спасибо"), ("благодарить",),
    ("заранее", "спасибо"), ("заранее", "благодарить"), ("спасибо", "заранее"),
})  # fmt: skip
_MIN_BEFORE_CLOSING = 2  # «Большое спасибо» alone is the message itself


def closing_thanks(lemmas: Sequence[str]) -> int:
    """How many words at the end are a closing thanks (0 when none, or nothing comes before)."""
    for length in (2, 1):
        if len(lemmas) - length >= _MIN_BEFORE_CLOSING and tuple(lemmas[-length:]) in _CLOSINGS:
            return length
    return 0
