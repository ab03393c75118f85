"""Routing by default: every appeal to the one body that can act, with the reason kept.

In order, the first step that decides wins:
1. Not an appeal: nothing to route. The classifier unsure: the ЦУР triage queue.
2. A body the text names that answers for the topic: an organisation or МФЦ office by its name
   ("Шуйский водоканал"), an institution by its number ("школа 2", "ГКБ № 7"), on the place the
   text names or else the page's territory; several such bodies there: triage.
3. A house the text names, served by a management company that answers for the topic.
   Overseen organisations are reached through their overseer where the region says so.
4. The competent body on the territory: the place the text names, else the page's territory.
   Overseen organisations and institutions standing behind a parent that answers for the same
   topic are not candidates here (they are reached when named). The narrowest territory wins,
   then the most specific competence; two equally good candidates go to triage. A street that
   is in several municipalities on a regional page leaves only regional bodies.
5. Triage, with the candidates that were considered.
Declarative rules (domain/rules.py) come before all of this when they match.
"""

import re
from dataclasses import dataclass, field

from appeals_common.events import Classification
from router.domain.directory import Body, BodyKind, Directory
from router.domain.gazetteer import (
    AddressMatch,
    Gazetteer,
    Street,
    narrow,
    oktmo_prefix,
    oktmo_within,
)
from router.domain.named_bodies import NameIndex, NumberedMention, numbered_institutions

_MFC = re.compile(r"(?<![а-яё])(?:мфц|многофункциональн|мои документы)", re.IGNORECASE)


@dataclass(frozen=True)
class Considered:
    """A body that could have got the appeal, and why it did not."""

    body_id: str
    why: str


@dataclass(frozen=True)
class Explanation:
    """What an assignment was based on: shown on the appeal card, kept with the assignment."""

    step: str  # rule, named, house, territory, triage
    rule: str | None = None  # the rule's id and version when a rule decided
    places: tuple[str, ...] = ()  # the places and bodies the text names, as written
    territory: str | None = None  # the OKTMO code the body was looked for on
    executor: str | None = None  # the organisation that acts when reached through its overseer
    considered: tuple[Considered, ...] = ()


@dataclass(frozen=True)
class Routed:
    agency: Body
    reason: str
    explanation: Explanation = field(default_factory=lambda: Explanation("triage"))


@dataclass(frozen=True)
class Appeal:
    """What routing reads of an appeal."""

    classification: Classification
    text: str
    page_owner: Body | None
    page_id: str | None = None  # rules may name pages


@dataclass(frozen=True)
class Where:
    """Where an appeal is about: the text's places, or else the page's territory."""

    matches: tuple[AddressMatch, ...]
    territory: str
    named: bool  # the text named the place
    unclear: bool  # it named a street that several municipalities have
    written: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """What an appeal's text names, found once: rules and the default steps both read it."""

    where: Where
    numbered: tuple[NumberedMention, ...]  # "школа 2", "ГКБ № 7"
    by_name: tuple[Body, ...]  # bodies named by name or alias


class DefaultRouting:
    """The default steps over one directory version and the region's gazetteer."""

    def __init__(self, directory: Directory, gazetteer: Gazetteer) -> None:
        self.directory, self.gazetteer = directory, gazetteer
        self.names = NameIndex(directory.agencies)
        # The candidates for a topic do not depend on the appeal: looked for once per version.
        self._candidates: dict[tuple[str, str | None, bool], list[tuple[int, Body]]] = {}

    def route(
        self, appeal: Appeal, *, min_confidence: float, reading: Reading | None = None
    ) -> Routed | None:
        """The body for an appeal; None when it is no appeal at all. `reading`: the text as
        already read (by the rules), so that it is not read twice."""
        c = appeal.classification
        if not c.is_appeal:
            return None
        if c.confidence < min_confidence or c.topic == "other":
            return self._triage(f"triage: {c.reason}", Explanation("triage"))
        reading = reading or self.read(appeal)
        where = reading.where
        return self._named(appeal, reading) or self._house(c, where) or self._competent(c, where)

    def read(self, appeal: Appeal) -> Reading:
        """The places and bodies the appeal's text names."""
        numbered = tuple(numbered_institutions(appeal.text))
        return Reading(self.where(appeal), numbered, tuple(self.names.find(appeal.text)))

    def where(self, appeal: Appeal) -> Where:
        """Where the appeal is about: the places its text names, else its page's territory.

        A name several towns have is settled by the page's territory. On a town's page where
        none of those towns is the page's own, the resident most likely means their own town
        under another street type ("ул. Ленина" for its проспект Ленина): the page decides. On
        the regional page nothing settles it, and the place stays unclear.
        """
        owner = appeal.page_owner
        page = owner.territory if owner and owner.territory else (self.directory.region.oktmo,)
        regional = page[0] == self.directory.region.oktmo
        matches = narrow(self.gazetteer.find(appeal.text), page)
        if not regional:
            matches = tuple(m for m in matches if not m.ambiguous)
        codes = {m.oktmo for m in matches if not m.ambiguous}
        narrowest = max(codes, key=lambda code: len(oktmo_prefix(code)), default=None)
        agreed = narrowest if narrowest and all(oktmo_within(narrowest, c) for c in codes) else None
        unclear = agreed is None and any(m.ambiguous for m in matches)
        written = tuple(m.text for m in matches)
        return Where(matches, agreed or page[0], agreed is not None, unclear, written)

    def _named(self, appeal: Appeal, reading: Reading) -> Routed | None:
        c, where = appeal.classification, reading.where
        mentions = [(m.text, self._numbered(m.kind, m.number)) for m in reading.numbered]
        for written, bodies in [*mentions, ("", list(reading.by_name)),
                                ("МФЦ", self._mfc(appeal, where))]:  # fmt: skip
            found = [b for b in bodies if b.answers_for(c.topic)]
            here = [b for b in found if _on(b, where.territory)]
            if not here and where.territory == self.directory.region.oktmo:
                here = found  # a regional page: the one such institution, or several to choose
            if len(here) == 1:
                target = self.directory.reached_through(here[0])
                executor = here[0].id if target.id != here[0].id else None
                places = (*where.written, written or here[0].name)
                explanation = Explanation("named", places=places, territory=where.territory,
                                          executor=executor)  # fmt: skip
                return Routed(target, f"{here[0].name} named in the text", explanation)
            if len(here) > 1:
                considered = tuple(Considered(b.id, "named, as good a candidate") for b in here)
                explanation = Explanation("triage", places=(*where.written, written),
                                          considered=considered)  # fmt: skip
                return self._triage(f"triage: {written or 'the name'} fits {len(here)} bodies",
                                    explanation)  # fmt: skip
        return None

    def _mfc(self, appeal: Appeal, where: Where) -> list[Body]:
        """The МФЦ office the text means: on a street it names, else the only one in the place
        it names ("в МФЦ в Кинешме"); none when it names no МФЦ or no place."""
        if not _MFC.search(appeal.text) or not where.named:
            return []
        region_depth = len(oktmo_prefix(self.directory.region.oktmo))
        offices = [
            b for b in self.directory.agencies
            if b.kind is BodyKind.MFC and _on(b, where.territory)
            and _depth(b, where.territory) > region_depth  # an office, not the regional centre
        ]  # fmt: skip
        streets = [m.entry.name.lower() for m in where.matches if m.kind == "street"]
        on_street = [b for b in offices if any(n in (b.address or "").lower() for n in streets)]
        return on_street or offices

    def _numbered(self, kind: object, number: int) -> list[Body]:
        return [b for b in self.directory.agencies if b.kind is kind and b.number == number]

    def _house(self, c: Classification, where: Where) -> Routed | None:
        for match in where.matches:
            if match.kind != "street" or match.house is None or match.ambiguous:
                continue
            street = match.entry
            assert isinstance(street, Street)
            for body in self.directory.agencies:
                if body.competence(c.topic, c.subtopic) and _serves(body, street, match.house):
                    target = self.directory.reached_through(body)
                    explanation = Explanation(
                        "house", places=where.written, territory=street.oktmo,
                        executor=body.id if target.id != body.id else None,
                    )  # fmt: skip
                    reason = f"{street.type} {street.name}, {match.house}: served by {body.name}"
                    return Routed(target, reason, explanation)
        return None

    def _competent(self, c: Classification, where: Where) -> Routed:
        ranked = self._ranked(c, where.territory, organisations=False) or self._ranked(
            c, where.territory, organisations=True
        )
        if where.unclear:
            ranked = self._regional_only(c, where, ranked)
        considered = tuple(Considered(b.id, "less specific") for _, _, b in ranked[1:4])
        if not ranked:
            why = "the street is in several municipalities" if where.unclear else "no body"
            explanation = Explanation("triage", places=where.written, territory=where.territory)
            return self._triage(f"triage: {why} for {c.topic}", explanation)
        depth, specificity, best = ranked[0]
        ties = [b for d, s, b in ranked[1:] if (d, s) == (depth, specificity)]
        if ties:
            considered = tuple(Considered(b.id, "as good a candidate") for b in (best, *ties))
            explanation = Explanation("triage", places=where.written, territory=where.territory,
                                      considered=considered)  # fmt: skip
            return self._triage(f"triage: {len(considered)} bodies equally competent", explanation)
        target = self.directory.reached_through(best)
        explanation = Explanation(
            "territory", places=where.written, territory=where.territory,
            executor=best.id if target.id != best.id else None, considered=considered,
        )  # fmt: skip
        return Routed(target, f"{c.topic} on {where.territory}", explanation)

    def _ranked(
        self, c: Classification, territory: str, *, organisations: bool
    ) -> list[tuple[int, int, Body]]:
        """The competent bodies on the territory, best first. Overseen organisations are the
        fallback: where a body answers for the topic, it, not the company, is the default."""
        key = (c.topic, c.subtopic, organisations)
        if key not in self._candidates:
            self._candidates[key] = [
                (b.competence(c.topic, c.subtopic), b)
                for b in self.directory.agencies
                if b.is_organisation is organisations and self._eligible(b, c)
            ]
        here = [(s, b) for s, b in self._candidates[key] if _on(b, territory)]
        found = [(_depth(b, territory), s, b) for s, b in here]
        return sorted(found, key=lambda r: (-r[0], -r[1]))

    def _regional_only(
        self, c: Classification, where: Where, ranked: list[tuple[int, int, Body]]
    ) -> list[tuple[int, int, Body]]:
        """A street several municipalities have: a regional body will do when the topic is the
        region's in each of them; where a municipality has its own body for it, a person must
        tell which town is meant."""
        region_depth = len(oktmo_prefix(self.directory.region.oktmo))
        towns = {cand.oktmo for m in where.matches if m.ambiguous for cand in m.candidates}
        local = any(
            d > region_depth
            for town in towns
            for d, _, _ in self._ranked(c, town, organisations=False)
        )
        return [] if local else [r for r in ranked if r[0] <= region_depth]

    def _eligible(self, body: Body, c: Classification) -> bool:
        if body.id == self.directory.triage_agency_id:
            return False
        if not body.competence(c.topic, c.subtopic):
            return False
        parent = self.directory.get(body.parent) if body.is_institution and body.parent else None
        return parent is None or not parent.answers_for(c.topic)

    def _triage(self, reason: str, explanation: Explanation) -> Routed:
        return Routed(self.directory.triage, reason, explanation)


def _on(body: Body, territory: str) -> bool:
    return any(oktmo_within(territory, own) for own in body.territory)


def _depth(body: Body, territory: str) -> int:
    """How narrow the body's territory that covers the place is (longer prefix: narrower)."""
    return max(len(oktmo_prefix(own)) for own in body.territory if oktmo_within(territory, own))


def _serves(body: Body, street: Street, house: str) -> bool:
    return any(
        s.oktmo == street.oktmo
        and s.street == f"{street.type} {street.name}"
        and (s.houses is None or house in s.houses)
        for s in body.serves
    )
