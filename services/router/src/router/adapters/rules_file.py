"""The routing rules' import format: YAML or its JSON twin (config/routing-rules.yaml documents
every field).

Everything is checked before anything is used: a malformed rule, an unknown topic, subtopic or
body kind, a bad OKTMO code or house set, a duplicate id, and (given the directory) a body or
page it does not have are refused with the rule's line, or its index when the document came
without lines (the API's JSON), and nothing is half-imported.
"""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from appeals_common.rubric import SUBTOPIC_IDS, is_competence
from router.adapters.import_fields import (
    NotYaml,
    OktmoCodes,
    read_yaml,
    refuse_items,
)
from router.domain.directory import BodyKind, Directory
from router.domain.gazetteer import Gazetteer, HouseSet
from router.domain.rules import Conditions, Houses, Rule, RuleSet, validate


class RuleImportError(ValueError):
    """A rule set refused, with the line (1-based) or, without lines, the rule's index."""

    def __init__(
        self, line_or_index: int, message: str, source: str = "rules", *, by_index: bool = False
    ) -> None:
        where = f"{source}: rules[{line_or_index}]" if by_index else f"{source}:{line_or_index}"
        super().__init__(f"{where}: {message}")
        self.line_or_index, self.message, self.source = line_or_index, message, source
        self.by_index = by_index


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Houses(_Record):
    street: str
    houses: str

    @field_validator("houses")
    @classmethod
    def _house_set(cls, text: str) -> str:
        HouseSet.parse(text)  # its ValueError names the bad item by position
        return text


class _When(_Record):
    topics: list[str] = []
    subtopics: list[str] = []
    urgent: bool | None = None
    territories: OktmoCodes = []
    pages: list[str] = []
    page_owner_kinds: list[BodyKind] = []
    named_kinds: list[BodyKind] = []
    streets: list[str] = []
    houses: list[_Houses] = []
    text_any: list[str] = []

    @field_validator("topics")
    @classmethod
    def _topics(cls, items: list[str]) -> list[str]:
        def topic(item: str) -> bool:
            return is_competence(item) and item not in SUBTOPIC_IDS

        return refuse_items(items, topic, "topic ids or sections of the rubricator")

    @field_validator("subtopics")
    @classmethod
    def _subtopics(cls, items: list[str]) -> list[str]:
        return refuse_items(items, SUBTOPIC_IDS.__contains__, "subtopic ids of the rubricator")

    @field_validator("text_any")
    @classmethod
    def _words(cls, words: list[str]) -> list[str]:
        if any(not w.strip() or w != w.lower() for w in words):
            raise ValueError("text_any: non-empty lower-case substrings only")
        return words


class _Rule(_Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    description: str = Field(min_length=1, max_length=500)
    when: _When = _When()
    then_body: str | None = None
    then: Literal["triage"] | None = None
    reach: Literal["as_directory", "direct"] = "as_directory"
    enabled: bool = True

    @model_validator(mode="after")
    def _one_target(self) -> "_Rule":
        if (self.then_body is None) == (self.then is None):
            raise ValueError("give either then_body (a body id) or then: triage")
        return self


class _RuleSet(_Record):
    version: int = Field(default=0, ge=0)  # a draft has none: publishing stamps it
    published_at: datetime | None = None
    published_by: str | None = None
    rules: list[Any] = []


def load_rules(path: Path, *, directory: Directory, gazetteer: Gazetteer | None = None) -> RuleSet:
    """Read and check a rules file; RuleImportError names the line that is wrong."""
    text = path.read_text(encoding="utf-8")
    return parse_rules_text(text, source=str(path), directory=directory, gazetteer=gazetteer)


def parse_rules_text(
    text: str, *, source: str = "rules", directory: Directory, gazetteer: Gazetteer | None = None
) -> RuleSet:
    """Parse and check a YAML rules document (see load_rules)."""
    try:
        root, data = read_yaml(text)
    except NotYaml as exc:
        raise RuleImportError(exc.line, str(exc), source) from None
    lines = _rule_lines(root)
    return parse_rules(data, source=source, directory=directory, gazetteer=gazetteer, lines=lines)


def parse_rules(
    document: dict[str, Any] | list[Any],
    *,
    source: str = "rules",
    directory: Directory,
    gazetteer: Gazetteer | None = None,
    lines: Sequence[int] | None = None,
) -> RuleSet:
    """A rule set checked against the directory (and the gazetteer's streets, when given) from
    {version, published_at, published_by, rules} or a draft's bare list of rules (version 0).
    Errors name the rule's line when `lines` (one per rule) are given, else its index."""
    if isinstance(document, list):
        document = {"version": 0, "rules": document}
    if not isinstance(document, dict):
        raise RuleImportError(1, "expected a mapping with version and rules", source)
    try:
        head = _RuleSet.model_validate(document)
    except ValidationError as exc:
        raise RuleImportError(1, _first(exc, "rule set"), source) from exc

    def refuse(index: int, message: str) -> RuleImportError:
        at = lines[index] if lines else index
        return RuleImportError(at, message, source, by_index=not lines)

    rules = []
    for i, item in enumerate(head.rules):
        try:
            rules.append(_rule(_Rule.model_validate(item)))
        except ValidationError as exc:
            raise refuse(i, _first(exc, "rule")) from exc
    rule_set = RuleSet(head.version, tuple(rules), head.published_at, head.published_by)
    for problem in validate(rule_set, directory, gazetteer)[:1]:
        raise refuse(problem.index, f"{problem.rule_id}: {problem.message}")
    return rule_set


def _rule(record: _Rule) -> Rule:
    when = record.when
    conditions = Conditions(
        **{k: tuple(v) for k, v in when.model_dump(exclude={"urgent", "houses"}).items()},
        urgent=when.urgent,
        houses=tuple(Houses(h.street, HouseSet.parse(h.houses)) for h in when.houses),
    )
    return Rule(record.id, record.description, conditions, record.then_body, record.reach,
                record.enabled)  # fmt: skip


def _first(exc: ValidationError, what: str) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or what}: {first['msg']}"


def _rule_lines(root: yaml.Node | None) -> list[int]:
    """The line each rule starts on, by its position in `rules` (or in a bare list)."""
    rules = root
    if isinstance(root, yaml.MappingNode):
        rules = next((v for k, v in root.value if k.value == "rules"), None)
    if not isinstance(rules, yaml.SequenceNode):
        return []
    return [node.start_mark.line + 1 for node in rules.value]
