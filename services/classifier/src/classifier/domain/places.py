"""Places and objects named in an appeal: streets, houses, settlements, districts, numbered
institutions ("школа № 5", "поликлиника №2", "5-я больница"), for the router and the operator.

Regular expressions, not natasha: natasha's AddrExtractor (yargy) took 40-100 ms per text and
its NER 60 ms on the development machine, a hundred times the budget of a classifier that must
keep up with a thousand appeals a second; these patterns take microseconds. A full street type
("улица") needs a capitalised name after it, so "на улице темно" is no address; an abbreviation
("ул ленина") does not, because residents do not capitalise.
"""

import re

from appeals_common.events import PlaceMention

_STREET = re.compile(
    r"(?<![А-ЯЁа-яё])(?P<type>(?i:ул|пр-т|просп|пер|б-р|ш|пл|наб|мкр)(?:\.\s*|\s+)"
    r"|(?i:улиц|проспект|переул|бульвар|шоссе|площад|набережн|микрорайон|проезд)[а-яё]*\s+)"
    r"(?P<name>(?:\d+-?(?:го|я|й|ой)?\s+)?[А-ЯЁа-яё][а-яё-]+(?:\s+[А-ЯЁ][а-яё-]+)?)"
    r"(?:\s*,?\s*(?P<house>\d+[а-я]?(?:/\d+)?)\b)?"  # "ул ленина 5": the house without "д"
)
_STREET_NAMES = {
    "ул": "улица", "улиц": "улица", "пр-т": "проспект", "просп": "проспект",
    "проспект": "проспект", "пер": "переулок", "переул": "переулок", "б-р": "бульвар",
    "бульвар": "бульвар", "ш": "шоссе", "шоссе": "шоссе", "пл": "площадь", "площад": "площадь",
    "наб": "набережная", "набережн": "набережная", "мкр": "микрорайон", "микрорайон": "микрорайон",
    "проезд": "проезд",
}  # fmt: skip
_HOUSE = re.compile(r"(?<![А-ЯЁа-яё])(?i:д|дом[а-я]*)\.?\s*№?\s*(?P<number>\d+[а-я]?(?:/\d+)?)\b")
_SETTLEMENT = re.compile(
    r"(?<![А-ЯЁа-яё])(?P<type>г\.|гор\.|город[аеу]?|с\.|сел[оае]|д\.|дер\.|деревн[яеиюй]|п\.|пос\."
    r"|пос[её]л(?:ок|ке|ка)|пгт|рп|снт)\s*(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?)"
)
_SETTLEMENT_NAMES = {
    "г": "город", "гор": "город", "с": "село", "д": "деревня", "дер": "деревня", "п": "посёлок",
    "пос": "посёлок", "пгт": "посёлок", "рп": "посёлок", "снт": "СНТ", "город": "город",
    "сел": "село", "деревн": "деревня", "посел": "посёлок", "посёл": "посёлок",
}  # fmt: skip
_DISTRICT = re.compile(r"(?P<name>[А-ЯЁ][а-яё]+ск(?:ий|ого|ом|ому))\s+(?:район[а-я]*|р-н)")
_INSTITUTION_TYPES = (
    r"(?P<type>школ|гимнази|лице[йяюе]|детск[а-яё]*\s+сад|детсад|садик|сад|д/с|доу|поликлиник"
    r"|больниц|роддом|мфц|колледж|библиотек|амбулатори)[а-яё]*"
)
_INSTITUTION = re.compile(
    rf"(?i:(?<![а-яё]){_INSTITUTION_TYPES}\s*(?:№|n|номер)\s*(?P<number>\d{{1,4}})\b)"
)
_INSTITUTION_ORDINAL = re.compile(
    rf"(?i:(?<![\d№])(?P<number>\d{{1,3}})(?:-?(?:я|й|ой|ая|ую|ю|ий|го|ом))?\s+{_INSTITUTION_TYPES})"
)
_INSTITUTION_NAMES = {
    "школ": "школа", "гимнази": "гимназия", "лице": "лицей", "детсад": "детский сад",
    "садик": "детский сад", "сад": "детский сад", "д/с": "детский сад", "доу": "детский сад",
    "поликлиник": "поликлиника", "больниц": "больница", "роддом": "роддом", "мфц": "МФЦ",
    "колледж": "колледж", "библиотек": "библиотека", "амбулатори": "амбулатория",
}  # fmt: skip
MAX_PLACES = 10
# One scan says whether the text names an institution or a district at all: most do not, and
# the full patterns cost several times more.
_ANY_INSTITUTION = re.compile(_INSTITUTION_TYPES, re.IGNORECASE)


def extract_places(text: str) -> tuple[PlaceMention, ...]:
    """Addresses, toponyms and numbered institutions, in the order they appear, without repeats."""
    found: list[tuple[int, PlaceMention]] = []
    patterns = [(_STREET, "street", _street), (_HOUSE, "house", _house),
                (_SETTLEMENT, "settlement", _settlement)]  # fmt: skip
    if "район" in text or "р-н" in text:
        patterns.append((_DISTRICT, "district", _district))
    if _ANY_INSTITUTION.search(text):
        patterns += [(_INSTITUTION, "institution", _institution),
                     (_INSTITUTION_ORDINAL, "institution", _institution)]  # fmt: skip
    for pattern, kind, value in patterns:
        for match in pattern.finditer(text):
            normal = value(match)
            if normal:
                end = match.end("name") if kind == "street" else match.end()
                written = match.string[match.start() : end]
                found.append((match.start(), PlaceMention(kind=kind, text=written, value=normal)))
            if normal and kind == "street" and match["house"]:
                house = PlaceMention(kind="house", text=match["house"], value=_house(match))
                found.append((match.start("house"), house))
    return _unique(sorted(found, key=lambda f: f[0]))


def _street(match: re.Match[str]) -> str | None:
    written = match["type"].lower().rstrip(". \t\n")
    abbreviated = written in _STREET_NAMES and written not in ("шоссе", "проезд")
    if not abbreviated and not match["name"][0].isupper():
        return None
    kind = _STREET_NAMES.get(written) or _by_stem(_STREET_NAMES, written)
    return f"{kind} {match['name']}" if kind else None


def _house(match: re.Match[str]) -> str:
    return f"дом {match['house'] if 'house' in match.re.groupindex else match['number']}"


def _settlement(match: re.Match[str]) -> str | None:
    written = match["type"].lower().rstrip(".")
    kind = _SETTLEMENT_NAMES.get(written) or _by_stem(_SETTLEMENT_NAMES, written)
    return f"{kind} {match['name']}" if kind else None


def _district(match: re.Match[str]) -> str:
    name = re.sub(r"ск(?:ого|ом|ому)$", "ский", match["name"])
    return f"{name} район"


def _institution(match: re.Match[str]) -> str | None:
    written = match["type"].lower()
    kind = "детский сад" if written.startswith("детск") else _by_stem(_INSTITUTION_NAMES, written)
    return f"{kind} № {match['number']}" if kind else None


def _by_stem(names: dict[str, str], written: str) -> str | None:
    stems = [s for s in names if written.startswith(s) and (len(s) > 3 or s == written)]
    return names[max(stems, key=len)] if stems else None


def _unique(found: list[tuple[int, PlaceMention]]) -> tuple[PlaceMention, ...]:
    seen: set[tuple[str, str]] = set()
    result = []
    for _, place in found:
        if (place.kind, place.value) not in seen:
            seen.add((place.kind, place.value))
            result.append(place)
    return tuple(result[:MAX_PLACES])
