"""Russian place names as appeals write them: tokens, type words and inflected forms."""

import re
from dataclasses import dataclass
from typing import NamedTuple


def fold(text: str) -> str:
    """Lower-case, ё as е and single spaces: the form names are compared in."""
    return " ".join(text.lower().replace("ё", "е").split())


# Each canonical type with the forms residents write it in: abbreviations and case forms.
_STREET_TYPE_FORMS = {
    "улица": "ул улица улицы улице улицу улицей улиц",
    "проспект": "пр-т пр-кт просп пр проспект проспекта проспекту проспектом проспекте",
    "переулок": "пер переулок переулка переулку переулком переулке",
    "бульвар": "б-р бул бульвар бульвара бульвару бульваром бульваре",
    "шоссе": "ш шоссе",
    "площадь": "пл площадь площади площадью",
    "набережная": "наб набережная набережной набережную",
    "микрорайон": "мкр мкрн мкр-н микрорайон микрорайона микрорайону микрорайоном микрорайоне",
    "проезд": "пр-д пр проезд проезда проезду проездом проезде",
    "тупик": "туп тупик тупика тупику тупиком тупике",
    "аллея": "аллея аллеи аллее аллею аллеей",
    "квартал": "кв-л квартал квартала кварталу кварталом квартале",
    "линия": "линия линии линию линией",
    "тракт": "тракт тракта тракту трактом тракте",
    "спуск": "спуск спуска спуску спуском спуске",
}
_SETTLEMENT_TYPE_FORMS = {
    "город": "г гор город города городу городом городе",
    "село": "с село села селу селом селе",
    "деревня": "д дер деревня деревни деревне деревню деревней",
    "посёлок": "п пос посёлок посёлка посёлку посёлком посёлке",
    "посёлок городского типа": "пгт",
    "рабочий посёлок": "рп",
    "слобода": "сл слобода слободы слободе слободу слободой",
    "хутор": "х хутор хутора хутору хутором хуторе",
    "станица": "ст-ца станица станицы станице станицу станицей",
}
DISTRICT_TYPE = "район"
_DISTRICT_FORMS = "р-н р-на р-не район района району районом районе"

STREET_TYPES = frozenset(_STREET_TYPE_FORMS)
SETTLEMENT_TYPES = frozenset(_SETTLEMENT_TYPE_FORMS)


def _type_words() -> dict[str, frozenset[str]]:
    words: dict[str, set[str]] = {}
    table = {**_STREET_TYPE_FORMS, **_SETTLEMENT_TYPE_FORMS, DISTRICT_TYPE: _DISTRICT_FORMS}
    for canonical, forms in table.items():
        for form in [fold(canonical), *fold(forms).split()]:
            words.setdefault(form, set()).add(canonical)
    return {form: frozenset(types) for form, types in words.items()}


TYPE_WORDS = _type_words()  # folded form -> the canonical types it may stand for


def _canonical(text: str, among: frozenset[str]) -> str | None:
    types = TYPE_WORDS.get(fold(text).rstrip("."), frozenset()) & among
    return next(iter(types)) if len(types) == 1 else None


def canonical_street_type(text: str) -> str | None:
    """The street type a written type ("ул", "пр-кт", "Проспект") stands for, if unambiguous."""
    return _canonical(text, STREET_TYPES)


def canonical_settlement_type(text: str) -> str | None:
    """The settlement type a written type ("с", "поселок", "Город") stands for."""
    return _canonical(text, SETTLEMENT_TYPES)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


PREPOSITIONS = _set(
    "на по с со в во у около возле напротив за между до от из к ко вдоль через под при"
)
SETTLEMENT_PREPOSITIONS = _set("в во из под около возле до у за")
HOUSE_MARKERS = _set("д дом дома доме домом дому")
# A number followed by one of these counts something: "на Лежневской 3 дня" names no house.
_NOT_HOUSE_NEXT = _set(
    "день дня дней раз раза год года лет час часа часов минут минуты неделю недели недель "
    "месяц месяца месяцев человек метров м км рублей руб градусов тысяч штук"
)
# Street names that are also everyday words: they match only beside a type word or a house.
_COMMON_STEMS = _set(
    "садов школьн советск центральн лесн полев нов молодежн зелен заводск рабоч парков "
    "лугов речн солнечн первомайск октябрьск пролетарск комсомольск спортивн больничн "
    "почтов станционн вокзальн фабричн красн песчан соснов берегов северн южн западн "
    "восточн верхн нижн средн больш мал стар кооперативн колхозн дачн озерн мирн нагорн "
    "заречн прудов торгов рыночн церковн народн трудов пионерск цветочн березов липов "
    "дубов кленов рябинов светл тих ясн"
)
_COMMON_WORDS = _set(
    "мира победы труда свободы революции дружбы мечты славы весны мая января февраля "
    "марта апреля июня июля августа сентября октября ноября декабря армии"
)

# Endings by the gender of an adjectival name's nominative form (hard and soft merged).
_FEM = _set("ая яя ой ей ую юю ою ею")
_MASC = _set("ий ый ой ого его ому ему ым им ом ем")
_NEUT = _set("ое ее ого его ому ему ым им ом ем")
_PLUR = _set("ые ие ых их ым им ыми ими")
_ADJECTIVES = {"ая": _FEM, "яя": _FEM, "ий": _MASC, "ый": _MASC, "ой": _MASC}
_ADJECTIVES |= {"ое": _NEUT, "ее": _NEUT, "ые": _PLUR, "ие": _PLUR}
_NOUN_O = _set("о а у ом е")  # Иваново: в Иванове, из Иванова
_NOUN_KA = _set("а и е у ой ою")  # Лежневка: на Лежневке
# Settlements are named in the nominative, so their nouns inflect; streets' "Ленина" does not.
_NOUN_A = _set("а ы е у ой ою")  # Кинешма: в Кинешме, из Кинешмы
_NOUN_YA = _set("я и е ю ей ею")  # Шуя: в Шуе, из Шуи
_NOUN_Y = _set("ы ах ам ами")  # Ново-Талицы: в Ново-Талицах
_MIN_STEM = 3


@dataclass(frozen=True, slots=True)
class WordPattern:
    """One word of a name: an exact form, or a stem and the endings it takes."""

    base: str
    endings: frozenset[str] | None = None

    def matches(self, form: str) -> bool:
        if self.endings is None:
            return form == self.base
        return form.startswith(self.base) and form[len(self.base) :] in self.endings

    @property
    def common(self) -> bool:
        if self.endings is None:
            return self.base in _COMMON_WORDS or self.base[0].isdigit()
        return self.base in _COMMON_STEMS


def word_pattern(word: str) -> WordPattern:
    """How a name's word inflects; names in the genitive ("Ленина", "8 Марта") do not."""
    form = fold(word)
    stem = form[:-2]
    if len(stem) >= _MIN_STEM and form[-2:] in _ADJECTIVES:
        return WordPattern(stem, _ADJECTIVES[form[-2:]])
    if len(stem) >= _MIN_STEM and form.endswith(("ово", "ево", "ино", "ыно")):
        return WordPattern(form[:-1], _NOUN_O)
    if len(stem) >= _MIN_STEM and form.endswith("ка"):
        return WordPattern(form[:-1], _NOUN_KA)
    return WordPattern(form)


def name_words(name: str, *, nominative: bool = False) -> tuple[WordPattern, ...]:
    """The patterns of a name's words in order, split as `tokenize` splits a text; a
    `nominative` name (a settlement's) inflects its nouns too."""
    pattern = settlement_pattern if nominative else word_pattern
    return tuple(
        WordPattern(t.form) if t.form[0].isdigit() else pattern(t.form) for t in tokenize(name)
    )


def settlement_pattern(word: str) -> WordPattern:
    """How a settlement's name inflects: as a street's, and its nouns in -а, -я and -ы too."""
    found = word_pattern(word)
    form = fold(word)
    if found.endings is not None or len(form) < 3:  # "Шуя" inflects too
        return found
    for ending, endings in (("а", _NOUN_A), ("я", _NOUN_YA), ("ы", _NOUN_Y), ("и", _NOUN_Y)):
        if form.endswith(ending):
            return WordPattern(form[:-1], endings)
    return found


def surface_forms(word: WordPattern) -> list[str]:
    """Every form a word pattern matches, for an index that finds a token in one look-up."""
    if word.endings is None:
        return [word.base]
    return [word.base + ending for ending in sorted(word.endings)]


class Token(NamedTuple):
    form: str  # folded; an ordinal number as its digits ("1-я" -> "1")
    start: int
    end: int
    house: bool  # could be a house number: "5", "5а", "15/2"


_TOKEN = re.compile(r"\d+(?:-[а-я]{1,3}|[а-я](?![а-я]))?(?:/\d+[а-я]?)?|[^\W\d_]+(?:-[^\W\d_]+)*")
_ORDINAL = _set("й я е ю х м го ой ая ий ый ое ом ую ей ых")
_HOUSE = re.compile(r"[1-9]\d{0,2}[а-я]?(?:/\d{1,3}[а-я]?)?")
_DIGIT = re.compile(r"\d")
_new_token = tuple.__new__  # builds a Token without NamedTuple's Python-level __new__: 2x faster


def _number(form: str) -> tuple[str, bool]:
    digits, _, suffix = form.partition("-")
    if suffix and suffix in _ORDINAL:
        return digits, False
    form = digits + suffix
    return form, _HOUSE.fullmatch(form) is not None


def _fold_in_place(text: str) -> str:
    folded = text.lower().replace("ё", "е")
    if len(folded) == len(text):
        return folded
    # A few characters lower-case to two ("İ"): keep them so spans stay the text's.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("ё", "е")


def forms(text: str) -> list[str]:
    """The folded forms of a text's tokens alone: a cheap first look for any name at all."""
    found = _TOKEN.findall(_fold_in_place(text))
    return [_number(f)[0] if f[0].isdigit() else f for f in found]


def tokenize(text: str) -> list[Token]:
    """Words and numbers of a text with their spans; punctuation is left out."""
    folded = _fold_in_place(text)
    tokens = [_new_token(Token, (m.group(), *m.span(), False)) for m in _TOKEN.finditer(folded)]
    if _DIGIT.search(folded):
        for k, (form, start, end, _) in enumerate(tokens):
            if form[0].isdigit():
                number, house = _number(form)
                tokens[k] = _new_token(Token, (number, start, end, house))
    return tokens


def gap_ok(text: str, start: int, end: int, allowed: str = "") -> bool:
    """Whether only spaces and the allowed punctuation stand between two tokens."""
    gap = text[start:end]
    return gap == " " or all(c.isspace() or c in allowed for c in gap)


def house_after(text: str, tokens: list[Token], at: int) -> tuple[str, int] | None:
    """The house number that follows token `at` ("д. 5", "дом 5", ", 5а"), and where it ends."""
    if at == 0 or at >= len(tokens):
        return None
    prev_end, j, allowed = tokens[at - 1].end, at, ",№"
    if tokens[j].form in HOUSE_MARKERS and gap_ok(text, prev_end, tokens[j].start, ","):
        prev_end, j, allowed = tokens[j].end, j + 1, ".№"
    if j >= len(tokens) or not tokens[j].house:
        return None
    if not gap_ok(text, prev_end, tokens[j].start, allowed):
        return None
    if j + 1 < len(tokens) and tokens[j + 1].form in _NOT_HOUSE_NEXT:
        return None
    return tokens[j].form, j + 1


def house_before(text: str, tokens: list[Token], at: int) -> str | None:
    """The house number of "дом 15 по улице Садовой", "в д. 3 на Лежневской": a house word,
    a number and "по" or "на" just before the street that starts at token `at`."""
    if at < 3:
        return None
    marker, number, preposition = tokens[at - 3 : at]
    if marker.form not in HOUSE_MARKERS or not number.house or preposition.form not in _ON:
        return None
    gaps = (
        gap_ok(text, marker.end, number.start, ".№")  # "д. 3", "дом № 3"
        and gap_ok(text, number.end, preposition.start)
        and gap_ok(text, preposition.end, tokens[at].start)
    )
    return number.form if gaps else None


_ON = _set("по на")


def first_house(text: str) -> str | None:
    """The first house number in a short text such as "дом 5" or "д. 12а"."""
    return next((t.form for t in tokenize(text) if t.house), None)
