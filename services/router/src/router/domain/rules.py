"""Declarative routing rules: an ordered, versioned rule set tried before the default steps.

A rule names a body (or triage) for the appeals it matches: every condition it gives must hold,
a list means any of its items, and the first enabled rule that matches wins. Rules read the
place, streets, houses and named institutions as the default steps do (domain/routing.py), so
the two never disagree on where an appeal is about.

An unsure classification (below the threshold, or topic "other") still goes to triage, unless a
rule that does not depend on the topic matches: one with no topic or subtopic condition and at
least one condition on the text or the page. The topic is the classifier's guess, and a rule
keyed on it would spread the guess; "this page" or "this house" holds whatever the topic is.
Urgency is the classifier's word too, so alone it anchors nothing.
"""

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from router.domain.directory import Body, BodyKind, Directory
from router.domain.gazetteer import Gazetteer, HouseSet, Street, oktmo_within
from router.domain.routing import (
    Appeal,
    Considered,
    DefaultRouting,
    Explanation,
    Reading,
    Routed,
)
from router.domain.street_names import fold


@dataclass(frozen=True)
class Houses:
    """Houses of one gazetteer street ("24701000:улица:8 Марта", "1-20")."""

    street: str
    houses: HouseSet


@dataclass(frozen=True)
class Context:
    """What the rules read of an appeal beyond its classification: computed once per appeal."""

    page_id: str | None
    place: str  # OKTMO: the place the text names, else the page owner's territory
    places: tuple[str, ...]  # the places as written
    streets: tuple[tuple[str, str | None], ...]  # (street id, house) named unambiguously
    named_kinds: frozenset[BodyKind]
    text: str  # lower-cased, ё as е, single spaces (street_names.fold)
    unsure: bool


@dataclass(frozen=True)
class Conditions:
    """What an appeal must be for a rule: every condition given holds (a list: any item)."""

    topics: tuple[str, ...] = ()  # topic ids or whole sections ("housing.*")
    subtopics: tuple[str, ...] = ()
    urgent: bool | None = None
    territories: tuple[str, ...] = ()  # OKTMO codes the appeal's place lies within
    pages: tuple[str, ...] = ()
    page_owner_kinds: tuple[BodyKind, ...] = ()
    named_kinds: tuple[BodyKind, ...] = ()
    streets: tuple[str, ...] = ()  # gazetteer street ids "oktmo:type:name"
    houses: tuple[Houses, ...] = ()
    text_any: tuple[str, ...] = ()  # substrings or word stems

    @property
    def anchored(self) -> bool:
        """Whether it holds whatever the topic is: see the module's docstring."""
        text_or_page = (self.territories, self.pages, self.page_owner_kinds, self.named_kinds,
                        self.streets, self.houses, self.text_any)  # fmt: skip
        return not self.topics and not self.subtopics and any(text_or_page)

    def holds(self, appeal: Appeal, ctx: Context) -> bool:
        """Whether the appeal meets every condition given."""
        c, owner = appeal.classification, appeal.page_owner
        return all((
            not self.topics or any(_topic_in(c.topic, t) for t in self.topics),
            not self.subtopics or c.subtopic in self.subtopics,
            self.urgent is None or c.urgent is self.urgent,
            not self.territories or any(oktmo_within(ctx.place, t) for t in self.territories),
            not self.pages or ctx.page_id in self.pages,
            not self.page_owner_kinds or (owner and owner.kind) in self.page_owner_kinds,
            not self.named_kinds or not ctx.named_kinds.isdisjoint(self.named_kinds),
            not self.streets or any(s in self.streets for s, _ in ctx.streets),
            not self.houses or any(_has_house(h, ctx) for h in self.houses),
            not self.text_any or any(w.replace("ё", "е") in ctx.text for w in self.text_any),
        ))  # fmt: skip


@dataclass(frozen=True)
class Rule:
    id: str  # stable slug
    description: str  # in Russian, for operators
    when: Conditions
    then_body: str | None = None  # None: the triage body (written "then: triage")
    reach: Literal["as_directory", "direct"] = "as_directory"  # "direct": skip the overseer
    enabled: bool = True

    def applies(self, appeal: Appeal, ctx: Context) -> bool:
        """Whether this rule decides the appeal (enabled, matching, and sure enough)."""
        sure_enough = not ctx.unsure or self.when.anchored
        return self.enabled and sure_enough and self.when.holds(appeal, ctx)


@dataclass(frozen=True)
class RuleSet:
    version: int
    rules: tuple[Rule, ...] = ()
    published_at: datetime | None = None
    published_by: str | None = None

    def matching(self, appeal: Appeal, context: Context) -> Iterator[Rule]:
        """The rules that apply to the appeal, in order."""
        return (rule for rule in self.rules if rule.applies(appeal, context))

    def match(self, appeal: Appeal, context: Context) -> Rule | None:
        """The first enabled rule that matches: order matters."""
        return next(self.matching(appeal, context), None)


class RuleRouting:
    """A rule set's rules first, then the default steps."""

    def __init__(self, default: DefaultRouting, rules: RuleSet) -> None:
        self.default, self.rules = default, rules
        self.directory = default.directory

    def route(self, appeal: Appeal, *, min_confidence: float) -> Routed | None:
        """The body for an appeal; None when it is no appeal at all."""
        return self.decide(appeal, min_confidence=min_confidence)[0]

    def decide(self, appeal: Appeal, *, min_confidence: float) -> tuple[Routed | None, Rule | None]:
        """The routing and the rule that decided it (None: the default steps did)."""
        c = appeal.classification
        if not c.is_appeal:
            return None, None
        reading = self.default.read(appeal)  # once, for the rules and the default steps
        ctx = self.context(
            appeal, reading, unsure=c.confidence < min_confidence or c.topic == "other"
        )
        skipped: list[Considered] = []
        for rule in self.rules.matching(appeal, ctx):
            body = self._target(rule)
            if body is None:
                why = f"rule {rule.id}@v{self.rules.version} names it: not active"
                skipped.append(Considered(rule.then_body or "", why))
                continue
            return self._by_rule(rule, body, ctx, tuple(skipped)), rule
        return self._by_default(appeal, reading, min_confidence, tuple(skipped)), None

    def context(self, appeal: Appeal, reading: Reading, *, unsure: bool) -> Context:
        """The facts rules read, as the default steps read them."""
        where = reading.where
        streets = tuple((m.entry.id, m.house) for m in where.matches
                        if isinstance(m.entry, Street) and not m.ambiguous)  # fmt: skip
        named = {m.kind for m in reading.numbered} | {b.kind for b in reading.by_name}
        page = appeal.page_id
        return Context(page, where.territory, where.written, streets, frozenset(named),
                       fold(appeal.text), unsure)  # fmt: skip

    def _target(self, rule: Rule) -> Body | None:
        if rule.then_body is None:
            return self.directory.triage
        body = self.directory.get(rule.then_body)
        return body if body is not None and body.active_on(self.directory.today) else None

    def _by_rule(
        self, rule: Rule, body: Body, ctx: Context, skipped: tuple[Considered, ...]
    ) -> Routed:
        target = body if rule.reach == "direct" else self.directory.reached_through(body)
        tag = f"{rule.id}@v{self.rules.version}"
        explanation = Explanation(
            "rule", rule=tag, places=ctx.places, territory=ctx.place,
            executor=body.id if target.id != body.id else None, considered=skipped,
        )  # fmt: skip
        return Routed(target, f"rule {rule.id} v{self.rules.version}", explanation)

    def _by_default(
        self,
        appeal: Appeal,
        reading: Reading,
        min_confidence: float,
        skipped: tuple[Considered, ...],
    ) -> Routed | None:
        routed = self.default.route(appeal, min_confidence=min_confidence, reading=reading)
        if routed is None or not skipped:
            return routed
        if routed.agency.id == self.directory.triage_agency_id:
            # Triage's `considered` are the operator's candidates: an inactive body is none.
            note = "; ".join(f"{s.body_id}: {s.why}" for s in skipped)
            return replace(routed, reason=f"{routed.reason} ({note})")
        considered = (*skipped, *routed.explanation.considered)
        return replace(routed, explanation=replace(routed.explanation, considered=considered))


@dataclass(frozen=True)
class RuleProblem:
    index: int  # the rule's position in the set
    rule_id: str
    message: str


def validate(
    rule_set: RuleSet, directory: Directory, gazetteer: Gazetteer | None = None
) -> list[RuleProblem]:
    """What is wrong with a rule set against a directory (and the gazetteer, when given)."""
    streets = {e.id for e in gazetteer.entries if isinstance(e, Street)} if gazetteer else None
    seen: dict[str, int] = {}
    problems = []
    for i, rule in enumerate(rule_set.rules):
        if rule.id in seen:
            problems.append(
                RuleProblem(i, rule.id, f"duplicate id (first at rule {seen[rule.id]})")
            )
        seen.setdefault(rule.id, i)
        problems += [RuleProblem(i, rule.id, m) for m in _problems(rule, directory, streets)]
    return problems


def _problems(rule: Rule, directory: Directory, streets: set[str] | None) -> Iterator[str]:
    body = directory.get(rule.then_body) if rule.then_body else None
    if rule.then_body and body is None:
        yield f"then_body {rule.then_body!r} is not in the directory"
    elif body and body.active_to and body.active_to < directory.today:
        yield f"then_body {body.id!r} closed on {body.active_to.isoformat()}"
    when = rule.when
    yield from (f"page {p!r} is no body's page" for p in when.pages
                if directory.page_owner(p) is None)  # fmt: skip
    region = directory.region.oktmo
    yield from (f"territory {t} is outside the region" for t in when.territories
                if not oktmo_within(t, region))  # fmt: skip
    outside = [s for s in when.subtopics if when.topics
               and not any(_topic_in(s.rsplit(".", 1)[0], t) for t in when.topics)]  # fmt: skip
    yield from (f"subtopic {s} is under none of the rule's topics" for s in outside)
    named = [*when.streets, *(h.street for h in when.houses)]
    yield from (f"street {s!r} is not in the gazetteer" for s in named
                if streets is not None and s not in streets)  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """One appeal now and under the proposed rule set: body ids (None: no appeal), rule ids."""

    now: str | None
    proposed: str | None
    rule_now: str | None
    rule_proposed: str | None


@dataclass(frozen=True)
class DryRun:
    outcomes: tuple[Outcome, ...]
    changed: int
    to_triage: int  # not triage now, triage under the proposed set
    from_triage: int
    by_rule: Mapping[str, int]  # proposed rule id -> how many appeals it decides


def dry_run(
    current: RuleRouting, proposed: RuleRouting, appeals: Sequence[Appeal], *, min_confidence: float
) -> DryRun:
    """What the proposed rule set would do to these appeals, compared with the current one."""
    outcomes = tuple(_outcome(current, proposed, a, min_confidence) for a in appeals)
    triage = {current.directory.triage_agency_id, proposed.directory.triage_agency_id}
    changed = [o for o in outcomes if o.now != o.proposed]
    return DryRun(
        outcomes,
        changed=len(changed),
        to_triage=sum(o.proposed in triage and o.now not in triage for o in changed),
        from_triage=sum(o.now in triage and o.proposed not in triage for o in changed),
        by_rule=Counter(o.rule_proposed for o in outcomes if o.rule_proposed),
    )


def _outcome(now: RuleRouting, new: RuleRouting, appeal: Appeal, confidence: float) -> Outcome:
    before, rule_before = now.decide(appeal, min_confidence=confidence)
    after, rule_after = new.decide(appeal, min_confidence=confidence)
    return Outcome(
        before.agency.id if before else None, after.agency.id if after else None,
        rule_before.id if rule_before else None, rule_after.id if rule_after else None,
    )  # fmt: skip


def _topic_in(topic: str, wanted: str) -> bool:
    if wanted.endswith(".*"):
        return topic.split(".")[0] == wanted[:-2]
    return topic == wanted


def _has_house(wanted: Houses, ctx: Context) -> bool:
    return any(s == wanted.street and h is not None and h in wanted.houses for s, h in ctx.streets)
