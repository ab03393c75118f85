"""Reads an extract of ГАР (ФИАС), the official address register, in its published XML.

One region's folder holds files named as published, e.g. AS_ADDR_OBJ_20240101_<guid>.XML:
- AS_ADDR_OBJ_*: <OBJECT OBJECTID NAME TYPENAME LEVEL ISACTUAL ISACTIVE .../>, address objects
  by level: 1 region, 2 administrative district, 3 municipal district or urban okrug,
  4 rural or urban settlement (поселение), 5 city, 6 settlement (населённый пункт),
  7 planning structure, 8 street, 10 building;
- AS_MUN_HIERARCHY_*: <ITEM OBJECTID PARENTOBJID OKTMO ISACTIVE .../>, the municipal tree;
- AS_HOUSES_* (optional): <HOUSE OBJECTID HOUSENUM ISACTUAL ISACTIVE .../>;
- AS_ADM_HIERARCHY_* (optional): <ITEM OBJECTID PARENTOBJID ISACTIVE .../>, a parent for
  objects the municipal tree leaves out.

Records not both actual and active (ISACTUAL, ISACTIVE) are history and are skipped. A city or
settlement (5, 6) becomes a `Settlement`; a street (8, or a 7 whose type is a street type such
as мкр) becomes a `Street` of the nearest city or settlement above it, with the OKTMO code of
its own ITEM or else of its nearest ancestor, and the HOUSENUM of the houses under it as its
house set. The municipality is the level-3 ancestor: "Ивановский муниципальный район",
or the bare name of an urban okrug ("Иваново"). Objects of a type the domain does not know,
or with no settlement or OKTMO above them, are left out. City districts are not read.

Real files run to gigabytes, so they are parsed as a stream; they are external input, so a
DTD (and with it any entity) is refused before parsing.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from router.domain import street_names as sn
from router.domain.gazetteer import (
    Entry,
    GazetteerImportError,
    HouseSet,
    Settlement,
    Street,
    is_oktmo,
)

_PROLOG_LIMIT = 64 * 1024
_BLANK = re.compile(rb"\s*")
_ACTUAL = ("ISACTUAL", "ISACTIVE")
_ACTIVE = ("ISACTIVE",)
_SET = frozenset({"1", "true"})
_MUNICIPALITY_LEVEL = "3"
_SETTLEMENT_LEVELS = frozenset({"5", "6"})
_STREET_LEVELS = frozenset({"7", "8"})
_MUNICIPALITY_NAMES = {
    "м.р-н": "{} муниципальный район",
    "р-н": "{} муниципальный район",
    "м.о.": "{} муниципальный округ",
    "г.о.": "{}",
}
_MAX_DEPTH = 32  # deeper than any real tree: a guard against a cycle in the hierarchy


@dataclass(frozen=True)
class _Object:
    name: str
    typename: str
    level: str


def load_gar(directory: Path) -> tuple[Entry, ...]:
    """The settlements and streets of a ГАР extract: settlements first, each sorted by id."""
    if not directory.is_dir():
        raise GazetteerImportError(None, "not a directory", str(directory))
    objects = {
        a["OBJECTID"]: _Object(a["NAME"].strip(), a.get("TYPENAME", ""), a["LEVEL"].strip())
        for a in _records(_file(directory, "AS_ADDR_OBJ"), "OBJECT", _ACTUAL, ("NAME", "LEVEL"))
    }
    houses_file = _optional_file(directory, "AS_HOUSES")
    houses = {
        a["OBJECTID"]: a["HOUSENUM"]
        for a in (_records(houses_file, "HOUSE", _ACTUAL) if houses_file else ())
        if a.get("HOUSENUM", "").strip()
    }
    tree = _Tree(objects)
    for a in _records(_file(directory, "AS_MUN_HIERARCHY"), "ITEM", _ACTIVE):
        if a["OBJECTID"] in objects or a["OBJECTID"] in houses:
            tree.add(a["OBJECTID"], a.get("PARENTOBJID"), a.get("OKTMO"))
    adm_file = _optional_file(directory, "AS_ADM_HIERARCHY")
    for a in _records(adm_file, "ITEM", _ACTIVE) if adm_file else ():
        if a["OBJECTID"] in objects or a["OBJECTID"] in houses:
            tree.parents.setdefault(a["OBJECTID"], (a.get("PARENTOBJID") or "").strip())
    return tree.entries(houses)


class _Tree:
    """The municipal tree of the objects kept, and the entries it makes."""

    def __init__(self, objects: dict[str, _Object]) -> None:
        self.objects = objects
        self.parents: dict[str, str] = {}
        self.oktmos: dict[str, str] = {}

    def add(self, object_id: str, parent: str | None, oktmo: str | None) -> None:
        self.parents[object_id] = (parent or "").strip()
        if oktmo and is_oktmo(oktmo.strip()):
            self.oktmos[object_id] = oktmo.strip()

    def entries(self, houses: dict[str, str]) -> tuple[Entry, ...]:
        numbers: dict[str, list[str]] = {}
        for house_id, number in houses.items():
            numbers.setdefault(self.parents.get(house_id, ""), []).append(number)
        places: dict[str, Settlement] = {}
        streets: dict[str, Street] = {}
        for object_id, obj in self.objects.items():
            if obj.level in _SETTLEMENT_LEVELS and (place := self._settlement(object_id)):
                places[place.id] = place
            elif obj.level in _STREET_LEVELS:
                street = self._street(object_id, numbers.get(object_id, []))
                if street is not None:
                    streets[street.id] = _merged(streets.get(street.id), street)
        return (*sorted(places.values(), key=_id), *sorted(streets.values(), key=_id))

    def _line(self, object_id: str) -> Iterator[str]:
        """The object and its ancestors, nearest first."""
        for _ in range(_MAX_DEPTH):
            if not object_id:
                return
            yield object_id
            object_id = self.parents.get(object_id, "")

    def _nearest(self, object_id: str, levels: frozenset[str]) -> str | None:
        line = self._line(object_id)
        return next(
            (i for i in line if i in self.objects and self.objects[i].level in levels), None
        )

    def _oktmo(self, object_id: str) -> str | None:
        return next((self.oktmos[i] for i in self._line(object_id) if i in self.oktmos), None)

    def _municipality(self, object_id: str, fallback: str) -> str:
        found = self._nearest(object_id, frozenset({_MUNICIPALITY_LEVEL}))
        if found is None:
            return fallback
        obj = self.objects[found]
        return _MUNICIPALITY_NAMES.get(obj.typename.strip(), "{}").format(obj.name)

    def _settlement(self, object_id: str) -> Settlement | None:
        obj, oktmo = self.objects[object_id], self._oktmo(object_id)
        settlement_type = sn.canonical_settlement_type(obj.typename)
        if oktmo is None or settlement_type is None or not obj.name:
            return None
        return Settlement(oktmo, self._municipality(object_id, obj.name), settlement_type, obj.name)

    def _street(self, object_id: str, houses: list[str]) -> Street | None:
        obj, oktmo = self.objects[object_id], self._oktmo(object_id)
        street_type = sn.canonical_street_type(obj.typename)
        place_id = self._nearest(object_id, _SETTLEMENT_LEVELS)
        place = self._settlement(place_id) if place_id else None
        if oktmo is None or street_type is None or place is None or not obj.name:
            return None
        house_set = HouseSet.of((), houses) if houses else None
        municipality = self._municipality(object_id, place.name)
        return Street(oktmo, municipality, place.name, street_type, obj.name, houses=house_set)


def _id(entry: Entry) -> str:
    return entry.id


def _merged(seen: Street | None, street: Street) -> Street:
    """One street recorded twice (under two planning structures): its house lists joined."""
    if seen is None or seen.houses is None:
        return street
    if street.houses is None:
        return seen
    ranges = (*seen.houses.ranges, *street.houses.ranges)
    return replace(street, houses=HouseSet.of(ranges, seen.houses.numbers | street.houses.numbers))


def _file(directory: Path, prefix: str) -> Path:
    found = _optional_file(directory, prefix)
    if found is None:
        raise GazetteerImportError(None, f"no {prefix}_<date>_<id>.XML file", str(directory))
    return found


def _optional_file(directory: Path, prefix: str) -> Path | None:
    # The date right after the prefix keeps AS_ADDR_OBJ_PARAMS_* out of AS_ADDR_OBJ_*.
    pattern = re.compile(rf"{prefix}_\d{{8}}_.*\.xml", re.IGNORECASE)
    found = sorted(p for p in directory.iterdir() if pattern.fullmatch(p.name))
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise GazetteerImportError(None, f"several {prefix} files: {names}", str(directory))
    return found[0] if found else None


def _records(
    path: Path, tag: str, flags: tuple[str, ...], required: tuple[str, ...] = ()
) -> Iterator[dict[str, str]]:
    """The attributes of each current record: every flag set ("1")."""
    for n, attrs in enumerate(_elements(path, tag), 1):
        missing = [k for k in ("OBJECTID", *flags, *required) if not attrs.get(k, "").strip()]
        if missing:
            message = f"{tag} number {n} has no {', '.join(missing)}"
            raise GazetteerImportError(None, message, path.name)
        if all(attrs[f].strip() in _SET for f in flags):
            attrs["OBJECTID"] = attrs["OBJECTID"].strip()
            yield attrs


def _elements(path: Path, tag: str) -> Iterator[dict[str, str]]:
    with path.open("rb") as f:
        _refuse_dtd(f, path.name)
        f.seek(0)
        try:
            root = None
            for event, element in ET.iterparse(f, events=("start", "end")):
                if root is None:
                    root = element
                elif event == "end" and element.tag == tag:
                    yield dict(element.attrib)
                    root.clear()  # records are the root's children: drop each once read
        except ET.ParseError as e:
            raise GazetteerImportError(e.position[0], f"malformed XML: {e}", path.name) from None


def _refuse_dtd(f: IO[bytes], name: str) -> None:
    """Refuse a DTD before the parser sees it: its entities could expand without bound."""
    head = f.read(_PROLOG_LIMIT)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        raise GazetteerImportError(1, "only UTF-8 or another ASCII-based encoding is read", name)
    at = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:  # a DTD can only stand in the prolog, among declarations and comments
        blank = _BLANK.match(head, at)
        at = blank.end() if blank else at
        if head.startswith(b"<!--", at):
            close, end = head.find(b"-->", at + 4), b"-->"
        elif head.startswith(b"<?", at):
            close, end = head.find(b"?>", at + 2), b"?>"
        elif head.startswith(b"<!", at):
            line = head.count(b"\n", 0, at) + 1
            raise GazetteerImportError(line, "a DTD (<!DOCTYPE>) is refused", name)
        elif at < len(head) or len(head) < _PROLOG_LIMIT:
            return  # the root element, or the end of a short file: the parser takes over
        else:
            close, end = -1, b""
        if close < 0:
            if len(head) < _PROLOG_LIMIT:
                return
            raise GazetteerImportError(None, "the prolog is longer than 64 KiB", name)
        at = close + len(end)
