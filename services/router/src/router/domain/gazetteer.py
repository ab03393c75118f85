"""A region's places, and which of them an appeal's text names.

`Gazetteer.find` scans raw text for settlements, city districts and streets, inflected and
abbreviated as people write them ("на Лежневской 120", "пр-т Шереметевский", "в селе
Богородское"). A street named like an everyday word ("Садовая", "Школьная") counts only beside
a type word or a house number. A name found in several municipalities comes back with every
candidate; `narrow` prefers those within the territory of the page the appeal came from.

`find` runs for every appeal, so a token costs one dictionary look-up unless it could start a
name (every inflected form of every name's first word is a key); the timing command is at the
end of tests/unit/test_gazetteer.py.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from appeals_common.events import PlaceMention
from router.domain import street_names as sn
from router.domain.gazetteer_entries import (
    AddressMatch,
    CityDistrict,
    Entry,
    GazetteerImportError,
    HouseSet,
    Kind,
    Settlement,
    Street,
    is_oktmo,
    kind_of,
    oktmo_prefix,
    oktmo_within,
)

__all__ = [
    "AddressMatch",
    "CityDistrict",
    "Entry",
    "Gazetteer",
    "GazetteerImportError",
    "HouseSet",
    "Kind",
    "Settlement",
    "Street",
    "is_oktmo",
    "kind_of",
    "narrow",
    "oktmo_prefix",
    "oktmo_within",
]

_KIND_ORDER: dict[Kind, int] = {"street": 2, "settlement": 1, "district": 0}


@dataclass
class _Name:
    """Entries sharing one written name, e.g. улица Садовая in several villages."""

    words: tuple[sn.WordPattern, ...]
    plain: tuple[str, ...]  # the name's own folded words, to tell "Иваново" from "Иванова"
    common: bool
    entries: list[tuple[Entry, bool]] = field(default_factory=list)  # (entry, short form)


class _Index:
    """Names by every form of their first word, so a token needs one look-up."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_form: dict[str, list[_Name]] = {}
        groups: dict[tuple[sn.WordPattern, ...], _Name] = {}
        for entry in entries:
            for written, short in _names_of(entry):
                words = sn.name_words(written, nominative=isinstance(entry, Settlement))
                if not words:
                    continue
                if (group := groups.get(words)) is None:
                    plain = tuple(t.form for t in sn.tokenize(written))
                    group = groups[words] = _Name(words, plain, all(w.common for w in words))
                    for form in sn.surface_forms(words[0]):
                        self.by_form.setdefault(form, []).append(group)
                group.entries.append((entry, short))

    def names_at(self, text: str, tokens: list[sn.Token], s: int) -> list[_Name]:
        """The names whose words are the tokens from `s` on."""
        names = self.by_form.get(tokens[s].form, ())
        return [name for name in names if _rest_matches(text, tokens, s, name.words)]


def _names_of(entry: Entry) -> list[tuple[str, bool]]:
    names = [(entry.name, False), *((a, False) for a in entry.aliases)]
    words = sn.name_words(entry.name)
    # "проспект Фридриха Энгельса" is also "Энгельса": a surname after a first name.
    surname = all(w.endings is None and not w.base[0].isdigit() for w in words)
    if isinstance(entry, Street) and len(words) > 1 and surname:
        names.append((entry.name.split()[-1], True))
    return names


def _rest_matches(
    text: str, tokens: list[sn.Token], s: int, words: tuple[sn.WordPattern, ...]
) -> bool:
    if s + len(words) > len(tokens):
        return False
    return all(
        sn.gap_ok(text, tokens[s + k - 1].end, tokens[s + k].start)
        and w.matches(tokens[s + k].form)
        for k, w in enumerate(words[1:], 1)
    )


@dataclass(frozen=True)
class _Reading:
    """One entry as a candidate for the tokens at hand, with the evidence for it."""

    entry: Entry
    typed: bool
    short: bool
    end: int  # the token after the name and its type word
    house: tuple[str, int] | None


def _readings(
    text: str, tokens: list[sn.Token], i: int, s: int, name: _Name, trusted: bool
) -> list[_Reading]:
    e = s + len(name.words)
    lead = sn.TYPE_WORDS.get(tokens[i].form, frozenset()) if s > i else frozenset()
    trail: frozenset[str] = frozenset()
    if e < len(tokens) and sn.gap_ok(text, tokens[e - 1].end, tokens[e].start, "."):
        trail = sn.TYPE_WORDS.get(tokens[e].form, frozenset())
    prev = (
        tokens[i - 1].form if i > 0 and sn.gap_ok(text, tokens[i - 1].end, tokens[i].start) else ""
    )
    capital = text[tokens[s].start].isupper()
    exact = tuple(t.form for t in tokens[s:e]) == name.plain
    out = []
    for entry, short in name.entries:
        if s > i and entry.type not in lead:
            continue  # a type word before the name must be this entry's type
        end = e + 1 if entry.type in trail else e
        typed = s > i or end > e
        house = _house(text, tokens, i, end) if isinstance(entry, Street) else None
        if trusted or typed:
            ok = True
        elif isinstance(entry, Street):
            ok = house is not None or (not name.common and (prev in sn.PREPOSITIONS or capital))
        elif isinstance(entry, Settlement):
            near = prev in sn.SETTLEMENT_PREPOSITIONS or (capital and exact)
            ok = not name.common and near
        else:
            ok = False  # a district counts only with the word район
        if ok:
            out.append(_Reading(entry, typed, short, end, house))
    return out


def _house(text: str, tokens: list[sn.Token], start: int, end: int) -> tuple[str, int] | None:
    """The house after the street ("Садовая, 15"), else before it ("дом 15 по Садовой")."""
    before = sn.house_before(text, tokens, start)
    return sn.house_after(text, tokens, end) or ((before, end) if before else None)


def _choose(
    text: str, tokens: list[sn.Token], i: int, readings: list[_Reading]
) -> tuple[tuple[int, ...], AddressMatch]:
    if any(r.typed for r in readings):
        readings = [r for r in readings if r.typed]
    if any(not r.short for r in readings):
        readings = [r for r in readings if not r.short]
    kind = max((kind_of(r.entry) for r in readings), key=_KIND_ORDER.__getitem__)
    readings = [r for r in readings if kind_of(r.entry) == kind]
    first = readings[0]
    end = first.house[1] if first.house else first.end
    span = (tokens[i].start, tokens[end - 1].end)
    house = first.house[0] if first.house else None
    candidates = tuple(r.entry for r in readings)
    if house is not None and len(candidates) > 1:
        candidates = _by_house(candidates, house)
    match = AddressMatch(kind, candidates, span, text[span[0] : span[1]], house)
    rank = (end, int(first.typed), int(not first.short), _KIND_ORDER[kind])
    return rank, match


def _best_at(
    index: _Index, text: str, tokens: list[sn.Token], i: int, trusted: bool
) -> tuple[tuple[int, ...], AddressMatch] | None:
    starts = [i]
    lead = tokens[i].form in sn.TYPE_WORDS and i + 1 < len(tokens)
    if lead and sn.gap_ok(text, tokens[i].end, tokens[i + 1].start, "."):
        starts.append(i + 1)
    best = None
    for s in starts:
        for name in index.names_at(text, tokens, s):
            readings = _readings(text, tokens, i, s, name, trusted)
            if readings:
                chosen = _choose(text, tokens, i, readings)
                if best is None or chosen[0] > best[0]:
                    best = chosen
    return best


def _scan(index: _Index, text: str, *, trusted: bool) -> tuple[AddressMatch, ...]:
    if index.by_form.keys().isdisjoint(sn.forms(text)):
        return ()  # most appeals name no place: the spans are not worth computing
    tokens = sn.tokenize(text)
    found, i = [], 0
    while i < len(tokens):
        form = tokens[i].form
        # Most words name nothing: skip them before any work.
        best = None
        if form in index.by_form or form in sn.TYPE_WORDS:
            best = _best_at(index, text, tokens, i, trusted)
        if best is None:
            i += 1
        else:
            found.append(best[1])
            i = best[0][0]
    return tuple(found)


def _house_rank(entry: Entry, house: str) -> int:
    if not isinstance(entry, Street) or entry.houses is None:
        return 1
    return 0 if house in entry.houses else 2


def _by_house(candidates: tuple[Entry, ...], house: str) -> tuple[Entry, ...]:
    """Streets that list the house first, then those that take any, then the rest."""
    return tuple(sorted(candidates, key=lambda c: _house_rank(c, house)))


def _in_context(matches: tuple[AddressMatch, ...]) -> tuple[AddressMatch, ...]:
    """Streets found in several places narrowed to the settlement or district also named."""
    places = {(c.oktmo, c.name) for m in matches if m.kind == "settlement" for c in m.candidates}
    districts = {(c.oktmo, c.name) for m in matches if m.kind == "district" for c in m.candidates}
    out = []
    for m in matches:
        streets = [c for c in m.candidates if isinstance(c, Street)]
        for wanted, key in ((places, "settlement"), (districts, "district")):
            inside = tuple(c for c in streets if (c.oktmo, getattr(c, key)) in wanted)
            if 0 < len(inside) < len(m.candidates):
                m, streets = replace(m, candidates=inside), list(inside)
        out.append(m)
    return tuple(out)


def narrow(matches: Iterable[AddressMatch], territories: Iterable[str]) -> tuple[AddressMatch, ...]:
    """Keep each match's candidates within the territories (OKTMO codes), when any are."""
    territories = tuple(territories)
    out = []
    for match in matches:
        inside = tuple(
            c for c in match.candidates if any(oktmo_within(c.oktmo, t) for t in territories)
        )
        out.append(replace(match, candidates=inside) if inside else match)
    return tuple(out)


@dataclass(frozen=True)
class Gazetteer:
    """The entries of a region, indexed once for `find`."""

    entries: tuple[Entry, ...]
    _index: _Index = field(repr=False, compare=False)

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> "Gazetteer":
        """Index the entries by the stems of their names and aliases."""
        entries = tuple(entries)
        return cls(entries, _Index(entries))

    def find(self, text: str) -> tuple[AddressMatch, ...]:
        """The places a raw text names, in the order written."""
        return _in_context(_scan(self._index, text, trusted=False))

    def resolve(self, places: Iterable[PlaceMention]) -> tuple[AddressMatch, ...]:
        """The entries the classifier's place mentions mean; a house joins the street before it.

        Spans refer to each mention's value. A mention is trusted to be a place of its kind,
        so "Садовая" alone resolves, which `find` would not accept from raw text.
        """
        found: list[AddressMatch] = []
        for place in places:
            if place.kind == "house":
                house = sn.first_house(place.value)
                street = found[-1] if found and found[-1].kind == "street" else None
                if house is not None and street is not None and street.house is None:
                    candidates = _by_house(street.candidates, house)
                    found[-1] = replace(street, house=house, candidates=candidates)
            elif place.kind in _KIND_ORDER:
                matches = _scan(self._index, place.value, trusted=True)
                found += [m for m in matches if m.kind == place.kind][:1]
        return _in_context(tuple(found))
