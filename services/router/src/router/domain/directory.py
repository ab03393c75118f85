"""The directory of bodies "from the kindergarten to the government": who may get an appeal.

A body has a kind, a parent (the vertical that escalations climb and whose staff see its
appeals), a territory of OKTMO codes, competences (rubricator topics, subtopics or a whole
section), its official pages, its head and the dates it is active. Overseen organisations
(management companies, utilities) name their overseer, and the region says per kind whether
such an organisation is reached directly or through it. A directory is one immutable version;
a change makes the next version (adapters/directory_sql.py keeps the history).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from router.domain.gazetteer import HouseSet, oktmo_within


class BodyKind(StrEnum):
    CONTROL_CENTRE = "control_centre"
    REGIONAL_GOVERNMENT = "regional_government"
    REGIONAL_MINISTRY = "regional_ministry"
    FEDERAL_TERRITORIAL = "federal_territorial"
    MUNICIPALITY = "municipality"
    MUNICIPAL_DEPARTMENT = "municipal_department"
    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    CLINIC = "clinic"
    HOSPITAL = "hospital"
    MFC = "mfc"
    CULTURE_INSTITUTION = "culture_institution"
    SPORT_INSTITUTION = "sport_institution"
    SOCIAL_INSTITUTION = "social_institution"
    MANAGEMENT_COMPANY = "management_company"
    HOA = "hoa"
    HEAT_SUPPLIER = "heat_supplier"
    WATER_SUPPLIER = "water_supplier"
    POWER_SUPPLIER = "power_supplier"
    GAS_SUPPLIER = "gas_supplier"
    WASTE_OPERATOR = "waste_operator"
    CAPITAL_REPAIR_FUND = "capital_repair_fund"
    TRANSPORT_OPERATOR = "transport_operator"


class Reach(StrEnum):
    DIRECT = "direct"  # the organisation gets the appeal itself
    OVERSEER = "overseer"  # its overseer gets it and makes it act


_INSTITUTIONS = frozenset({
    BodyKind.SCHOOL, BodyKind.KINDERGARTEN, BodyKind.CLINIC, BodyKind.HOSPITAL, BodyKind.MFC,
    BodyKind.CULTURE_INSTITUTION, BodyKind.SPORT_INSTITUTION, BodyKind.SOCIAL_INSTITUTION,
})  # fmt: skip
_ORGANISATIONS = frozenset({
    BodyKind.MANAGEMENT_COMPANY, BodyKind.HOA, BodyKind.HEAT_SUPPLIER, BodyKind.WATER_SUPPLIER,
    BodyKind.POWER_SUPPLIER, BodyKind.GAS_SUPPLIER, BodyKind.WASTE_OPERATOR,
    BodyKind.CAPITAL_REPAIR_FUND, BodyKind.TRANSPORT_OPERATOR,
})  # fmt: skip
# The classifier's body types (its rubricator says which type of body a topic needs).
_BODY_TYPES = {
    BodyKind.CONTROL_CENTRE: "regional_control_centre",
    BodyKind.REGIONAL_GOVERNMENT: "regional_ministry",
    BodyKind.REGIONAL_MINISTRY: "regional_ministry",
    BodyKind.FEDERAL_TERRITORIAL: "federal_territorial_body",
    BodyKind.MUNICIPALITY: "municipal_administration",
    BodyKind.MUNICIPAL_DEPARTMENT: "municipal_administration",
}


@dataclass(frozen=True)
class ServedHouses:
    """Houses a management company or an HOA serves on one street."""

    oktmo: str
    street: str  # "<type> <name>" as in the gazetteer: "улица Лежневская"
    houses: HouseSet | None  # None: every house of the street


@dataclass(frozen=True)
class PageRef:
    id: str
    platform: str
    external_id: str


@dataclass(frozen=True)
class Head:
    """Who heads a body: escalations go to them."""

    name: str
    position: str
    email: str | None = None
    telegram_chat_id: str | None = None


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    kind: BodyKind
    parent: str | None = None
    territory: tuple[str, ...] = ()  # OKTMO codes; a code covers the codes under it
    timezone: str | None = None  # None: the parent's, then the region's
    hours: Mapping[str, str] | None = None  # None: the parent's (parsed by the SLA monitor)
    competences: tuple[str, ...] = ()  # "housing.heating", "housing.heating.season", "housing.*"
    overseen_by: str | None = None
    number: int | None = None  # "школа № 5"
    address: str | None = None
    serves: tuple[ServedHouses, ...] = ()
    pages: tuple[PageRef, ...] = ()
    head: Head | None = None
    active_from: date | None = None
    active_to: date | None = None
    aliases: tuple[str, ...] = ()  # names residents use: "теплосеть", "Роспотребнадзор"

    @property
    def body_type(self) -> str:
        """The classifier's body type for this kind of body."""
        if self.kind in _INSTITUTIONS:
            return "subordinate_institution"
        if self.kind in _ORGANISATIONS:
            return "overseen_organisation"
        return _BODY_TYPES[self.kind]

    @property
    def is_institution(self) -> bool:
        return self.kind in _INSTITUTIONS

    @property
    def is_organisation(self) -> bool:
        return self.kind in _ORGANISATIONS

    def competence(self, topic: str, subtopic: str | None = None) -> int:
        """How specifically it answers for the topic: 3 the subtopic, 2 the topic, 1 its
        section, 0 not at all."""
        best = 0
        for item in self.competences:
            if subtopic is not None and item == subtopic:
                return 3
            if item == topic:
                best = max(best, 2)
            elif item.endswith(".*") and topic.startswith(item[:-1]):
                best = max(best, 1)
        return best

    def answers_for(self, topic: str) -> bool:
        """Whether it answers for the topic at all (any subtopic of it counts)."""
        return self.competence(topic) > 0 or any(
            item.startswith(f"{topic}.") for item in self.competences
        )

    def covers(self, oktmo: str) -> bool:
        """Whether the place with this OKTMO code is on its territory."""
        return any(oktmo_within(oktmo, own) for own in self.territory)

    def active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )


@dataclass(frozen=True)
class Region:
    name: str
    oktmo: str
    timezone: str


@dataclass(frozen=True)
class Directory:
    """One version of the directory, with its indexes."""

    region: Region
    triage_agency_id: str
    bodies: tuple[Body, ...]
    reach: Mapping[str, Reach] = field(default_factory=dict)  # by BodyKind value
    version: str = "0"  # kept with every assignment routed under it
    today: date = field(default_factory=date.today)  # which bodies are active
    _active: tuple[Body, ...] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, Body] = field(init=False, repr=False, compare=False)
    _by_page: dict[str, Body] = field(init=False, repr=False, compare=False)
    _children: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        children: dict[str, list[str]] = {}
        for body in self.bodies:
            if body.parent is not None:
                children.setdefault(body.parent, []).append(body.id)
        object.__setattr__(
            self, "_active", tuple(b for b in self.bodies if b.active_on(self.today))
        )
        object.__setattr__(self, "_by_id", {b.id: b for b in self.bodies})
        pages = {p.id: b for b in self.bodies for p in b.pages}
        object.__setattr__(self, "_by_page", pages)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})

    @property
    def agencies(self) -> tuple[Body, ...]:
        """The bodies active today: those that may get an appeal (routing reads them often)."""
        return self._active

    def get(self, body_id: str) -> Body | None:
        """A body of this version, active or not (an old appeal may name a closed one)."""
        return self._by_id.get(body_id)

    def page_owner(self, page_id: str) -> Body | None:
        """The body whose official page this is."""
        return self._by_page.get(page_id)

    def with_subordinates(self, body_ids: Iterable[str]) -> frozenset[str]:
        """The bodies given and every body under them, however deep."""
        found = {b for b in body_ids if b in self._by_id}
        frontier = list(found)
        while frontier:
            below = [c for c in self._children.get(frontier.pop(), ()) if c not in found]
            found.update(below)
            frontier.extend(below)
        return frozenset(found)

    def reached_through(self, body: Body) -> Body:
        """The body that gets an appeal meant for `body`: its overseer where the region says so."""
        if self.reach.get(body.kind.value) is Reach.OVERSEER and body.overseen_by is not None:
            overseer = self.get(body.overseen_by)
            if overseer is not None and overseer.active_on(self.today):
                return overseer
        return body

    @property
    def triage(self) -> Body:
        body = self.get(self.triage_agency_id)
        assert body is not None, "validated when the directory is loaded"
        return body
