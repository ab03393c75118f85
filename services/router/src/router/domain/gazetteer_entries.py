"""The entries of a gazetteer: settlements, city districts and streets with their OKTMO codes."""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from router.domain import street_names as sn


class GazetteerImportError(ValueError):
    """A gazetteer source that cannot be imported: the file and line to blame, when known."""

    def __init__(self, line: int | None, message: str, source: str | None = None) -> None:
        where = ":".join(str(part) for part in (source, line) if part is not None)
        super().__init__(f"{where}: {message}" if where else message)
        self.line = line
        self.message = message
        self.source = source


_OKTMO = re.compile(r"[0-9]{8}(?:[0-9]{3})?")


def is_oktmo(code: str) -> bool:
    """Whether a code has the shape of an OKTMO code: 8 or 11 digits."""
    return _OKTMO.fullmatch(code) is not None


@functools.lru_cache(maxsize=65536)  # pure, and asked for each body for each appeal
def oktmo_prefix(code: str) -> str:
    """The digits every code within `code` starts with: 24701000 -> 24701, 24000000 -> 24."""
    if not is_oktmo(code):
        raise ValueError(f"not an OKTMO code: {code!r}")
    if len(code) == 11 and code[8:] != "000":
        return code
    # Trailing zeros mean "the whole level" only at the boundaries of OKTMO's levels (region 2,
    # grouping 3, municipality 5, settlement grouping 6, settlement 8 digits): 24710000 is the
    # municipality 24710, and 24715000, another municipality, is not within it.
    code = code[:8]
    cut = next((n for n in (2, 3, 5, 6) if code[n:].strip("0") == ""), 8)
    return code[:cut]


@functools.lru_cache(maxsize=65536)
def oktmo_within(code: str, territory: str) -> bool:
    """Whether OKTMO `code` lies within `territory` (an OKTMO code or a prefix of digits)."""
    prefix = oktmo_prefix(territory) if is_oktmo(territory) else territory
    if not prefix.isascii() or not prefix.isdigit():
        raise ValueError(f"not an OKTMO territory: {territory!r}")
    return is_oktmo(code) and code.startswith(prefix)


_HOUSE = re.compile(r"[1-9]\d{0,3}[а-я]?(?:/\d{1,4}[а-я]?)?")
_DIGITS = re.compile(r"\d+")
_RANGE = re.compile(r"([1-9]\d{0,3})-([1-9]\d{0,3})")


@dataclass(frozen=True)
class HouseSet:
    """House numbers of a street: inclusive ranges of plain numbers and single numbers."""

    ranges: tuple[tuple[int, int], ...] = ()
    numbers: frozenset[str] = frozenset()  # lettered or fractional: "182а", "15/2"

    @classmethod
    def of(cls, ranges: Iterable[tuple[int, int]], numbers: Iterable[str]) -> "HouseSet":
        """A set in canonical form (plain numbers merged into ranges) so equal sets are equal."""
        merged: list[tuple[int, int]] = []
        singles = set()
        for house in numbers:
            house = _house_form(house)
            if house.isascii() and house.isdigit():
                merged.append((int(house), int(house)))
            else:
                singles.add(house)
        canonical: list[tuple[int, int]] = []
        for lo, hi in sorted([*ranges, *merged]):
            if canonical and lo <= canonical[-1][1] + 1:
                canonical[-1] = (canonical[-1][0], max(hi, canonical[-1][1]))
            else:
                canonical.append((lo, hi))
        return cls(tuple(canonical), frozenset(singles))

    @classmethod
    def parse(cls, text: str) -> "HouseSet":
        """Read "1-180;182а;15/2"; raises ValueError naming the bad item by its position."""
        ranges, numbers = [], []
        for at, item in enumerate((i.strip() for i in text.split(";")), 1):
            if (m := _RANGE.fullmatch(item)) is not None:
                lo, hi = int(m[1]), int(m[2])
                if lo > hi:
                    raise ValueError(f"houses item {at}: the range runs backwards")
                ranges.append((lo, hi))
            elif _HOUSE.fullmatch(_house_form(item)):
                numbers.append(item)
            else:
                raise ValueError(f"houses item {at}: not a house number or range")
        return cls.of(ranges, numbers)

    def __contains__(self, house: object) -> bool:
        # A range covers the lettered and fractional variants of its numbers (120а, 120/1):
        # registers list the main number, residents add the letter.
        if not isinstance(house, str):
            return False
        house = _house_form(house)
        digits = _DIGITS.match(house)
        if house in self.numbers or digits is None:
            return house in self.numbers
        number = int(digits.group())
        return any(lo <= number <= hi for lo, hi in self.ranges)


def _house_form(house: str) -> str:
    return "".join(sn.fold(house).split())


@dataclass(frozen=True)
class Settlement:
    oktmo: str
    municipality: str  # display name of the municipality it belongs to
    type: str  # город, село, деревня, посёлок...
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.oktmo}:{self.type}:{self.name}"


@dataclass(frozen=True)
class CityDistrict:
    oktmo: str
    municipality: str
    settlement: str
    name: str  # "Октябрьский", without the word район
    aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.oktmo}:{sn.DISTRICT_TYPE}:{self.name}"

    @property
    def type(self) -> str:
        return sn.DISTRICT_TYPE


@dataclass(frozen=True)
class Street:
    oktmo: str
    municipality: str
    settlement: str
    type: str  # улица, проспект, переулок...
    name: str
    district: str | None = None
    aliases: tuple[str, ...] = ()
    houses: HouseSet | None = None  # None: any house number

    @property
    def id(self) -> str:
        return f"{self.oktmo}:{self.type}:{self.name}"


Entry = Settlement | CityDistrict | Street
Kind = Literal["settlement", "district", "street"]


def kind_of(entry: Entry) -> Kind:
    """The kind of place an entry is."""
    if isinstance(entry, Street):
        return "street"
    return "district" if isinstance(entry, CityDistrict) else "settlement"


@dataclass(frozen=True)
class AddressMatch:
    """A place named in a text: every entry the name may mean, the best first."""

    kind: Kind
    candidates: tuple[Entry, ...]
    span: tuple[int, int]  # in the text searched
    text: str  # as written
    house: str | None = None

    @property
    def entry(self) -> Entry:
        return self.candidates[0]

    @property
    def oktmo(self) -> str:
        return self.entry.oktmo

    @property
    def municipality(self) -> str:
        return self.entry.municipality

    @property
    def ambiguous(self) -> bool:
        return len({c.oktmo for c in self.candidates}) > 1

    @property
    def house_listed(self) -> bool | None:
        """Whether the house is in the street's house list; None when there is nothing to check."""
        entry = self.entry
        if self.house is None or not isinstance(entry, Street) or entry.houses is None:
            return None
        return self.house in entry.houses
