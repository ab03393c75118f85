"""Reads a region's gazetteer from a CSV file (UTF-8, comma-separated, one header line).

    oktmo,municipality,settlement_type,settlement,district,street_type,street,houses,aliases
    24701000,Иваново,город,Иваново,,,,,
    24701000,Иваново,город,Иваново,Октябрьский район,,,,
    24701000,Иваново,город,Иваново,Октябрьский район,улица,Лежневская,1-180;182а,Лежневка
    24607422101,Ивановский муниципальный район,село,Богородское,,улица,Центральная,,

- oktmo: 8 or 11 digits, the municipality (or settlement) the place belongs to.
- municipality: its display name. settlement_type: город, село, деревня, посёлок, ...
- district: optional city district (внутригородской район), with or without the word район.
- street_type: улица, проспект, переулок, бульвар, шоссе, площадь, набережная, микрорайон,
  проезд, тупик, аллея, квартал, линия, тракт, спуск (abbreviations such as "ул" are read too);
  empty, with street, for a row that is the settlement or the district itself.
- houses: optional, ";"-separated numbers and inclusive ranges of plain numbers
  ("1-180;182а;15/2"); empty means any house.
- aliases: optional, ";"-separated other names residents use for the row's place.

A street's settlement and district need no rows of their own: they are implied, and a row of
their own adds aliases. Street ids are f"{oktmo}:{type}:{name}", so one OKTMO code cannot hold
two streets of the same type and name. The whole file is checked before anything is returned:
the first bad or duplicate row raises `GazetteerImportError` naming its line.
"""

import csv
from collections.abc import Iterable
from pathlib import Path

from router.domain import street_names as sn
from router.domain.gazetteer import (
    CityDistrict,
    Entry,
    GazetteerImportError,
    HouseSet,
    Settlement,
    Street,
    is_oktmo,
)

COLUMNS = (
    "oktmo",
    "municipality",
    "settlement_type",
    "settlement",
    "district",
    "street_type",
    "street",
    "houses",
    "aliases",
)
_DISTRICT_WORDS = ("район", "р-н")


def load_gazetteer_csv(path: Path) -> tuple[Entry, ...]:
    """Read and check a gazetteer file; a broken one stops the service at start-up."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return parse_gazetteer_csv(f, source=path.name)


def parse_gazetteer_csv(lines: Iterable[str], source: str | None = None) -> tuple[Entry, ...]:
    """The entries of a gazetteer's CSV text, settlements and districts before streets."""
    reader = csv.reader(lines, strict=True)
    found = _Found()
    try:
        header = next(reader, None)
        if header is None or tuple(c.strip() for c in header) != COLUMNS:
            raise ValueError(f"the header must be {','.join(COLUMNS)}")
        for row in reader:
            if any(cell.strip() for cell in row):
                found.add(_entries(row), reader.line_num)
    except (ValueError, csv.Error) as e:  # UnicodeDecodeError is a ValueError too
        raise GazetteerImportError(max(reader.line_num, 1), str(e), source) from None
    return found.entries()


class _Found:
    """Entries by id, with the line that defined them and whether it was a row of their own."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[Entry, int, bool]] = {}

    def add(self, rows: list[tuple[Entry, bool]], line: int) -> None:
        for entry, own in rows:
            seen = self._by_id.get(entry.id)
            if seen is not None:
                if own and seen[2]:
                    raise ValueError(f"duplicate of line {seen[1]}: {entry.id}")
                if seen[0].municipality != entry.municipality:
                    raise ValueError(f"{entry.id} has another municipality on line {seen[1]}")
                if not own:
                    continue
            self._by_id[entry.id] = (entry, line, own)

    def entries(self) -> tuple[Entry, ...]:
        order = {Settlement: 0, CityDistrict: 1, Street: 2}
        found = [entry for entry, _, _ in self._by_id.values()]
        return tuple(sorted(found, key=lambda e: order[type(e)]))


def _entries(row: list[str]) -> list[tuple[Entry, bool]]:
    """The row's own entry last, after the settlement and district it implies."""
    if len(row) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} columns, found {len(row)}")
    oktmo, municipality, s_type, settlement, district, st_type, street, houses, aliases = (
        cell.strip() for cell in row
    )
    if not is_oktmo(oktmo):
        raise ValueError(f"OKTMO must be 8 or 11 digits: {oktmo!r}")
    if not municipality or not settlement:
        raise ValueError("municipality and settlement must not be empty")
    settlement_type = sn.canonical_settlement_type(s_type)
    if settlement_type is None:
        raise ValueError(f"unknown settlement type {s_type!r}")
    if bool(st_type) != bool(street):
        raise ValueError("street_type and street go together")
    if houses and not street:
        raise ValueError("houses belong to a street row")
    names = tuple(a.strip() for a in aliases.split(";") if a.strip())
    place = Settlement(oktmo, municipality, settlement_type, settlement)
    quarter = _district(district)
    rows: list[tuple[Entry, bool]] = [(place, False)]
    if quarter:
        rows.append((CityDistrict(oktmo, municipality, settlement, quarter), False))
    if street:
        rows.append((_street(place, quarter, st_type, street, houses, names), True))
    elif quarter:
        rows[-1] = (CityDistrict(oktmo, municipality, settlement, quarter, names), True)
    else:
        rows[-1] = (Settlement(oktmo, municipality, settlement_type, settlement, names), True)
    return rows


def _district(cell: str) -> str:
    words = cell.split()
    return " ".join(w for w in words if sn.fold(w) not in _DISTRICT_WORDS)


def _street(
    place: Settlement, district: str, type_: str, name: str, houses: str, aliases: tuple[str, ...]
) -> Street:
    street_type = sn.canonical_street_type(type_)
    if street_type is None:
        raise ValueError(f"unknown street type {type_!r}")
    return Street(
        place.oktmo,
        place.municipality,
        place.name,
        street_type,
        name,
        district or None,
        aliases,
        HouseSet.parse(houses) if houses else None,
    )
