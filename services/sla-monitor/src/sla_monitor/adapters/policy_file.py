"""The SLA policies' YAML format (config/sla-policies.yaml documents it): parsed and checked
whole, a mistake refused with the line it is on and nothing half-loaded."""

import re
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from appeals_common.rubric import is_competence
from sla_monitor.domain.policy import (
    ClockMode,
    Conditions,
    Escalation,
    OnReassign,
    Policy,
    PolicySet,
    Recipient,
)

_DURATION = re.compile(r"^([1-9][0-9]{0,4})([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86_400}


class PolicyFileError(ValueError):
    def __init__(self, line: int, message: str, source: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.line = line


def seconds(text: str) -> int:
    """ "4h", "90m", "2d" in seconds."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError("a duration is a number and s, m, h or d: 30m, 4h, 2d")
    return int(match[1]) * _UNIT[match[2]]


def _topics(items: list[str]) -> list[str]:
    bad = [str(i) for i, t in enumerate(items, 1) if not is_competence(t)]
    if bad:
        raise ValueError(f"items {', '.join(bad)}: not topics of the rubricator")
    return items


Duration = Annotated[str, AfterValidator(lambda text: seconds(text) and text)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _When(_Record):
    urgent: bool | None = None
    topics: Annotated[list[str], AfterValidator(_topics)] = []
    body_kinds: list[Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]] = []
    territories: list[Annotated[str, Field(pattern=r"^[0-9]{8}([0-9]{3})?$")]] = []


class _Escalation(_Record):
    after: Duration
    to: Recipient


class _Policy(_Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    name: str = Field(min_length=1, max_length=200)
    when: _When | None = None
    first_response: Duration
    resolution: Duration
    clock: ClockMode = ClockMode.ROUND_THE_CLOCK
    warnings: list[Annotated[float, Field(gt=0, lt=1)]] = [0.5, 0.8]
    escalations: list[_Escalation] = Field(default=[], max_length=5)
    on_reassign: OnReassign = OnReassign.CARRY_ON
    grace: Duration = "1h"

    @model_validator(mode="after")
    def _resolution_after_first_response(self) -> "_Policy":
        if seconds(self.resolution) < seconds(self.first_response):
            raise ValueError("resolution is shorter than first_response")
        return self


class _Document(_Record):
    version: int = Field(default=0, ge=0)
    policies: list[Any] = Field(min_length=1)


def parse_policies(text: str, source: str = "sla policies") -> PolicySet:
    """A policy set from its YAML; PolicyFileError names the line that is wrong."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise PolicyFileError(line, f"not YAML: {exc.problem}", source) from None
    try:
        document = _Document.model_validate(data)
    except ValidationError as exc:
        raise PolicyFileError(1, _first(exc), source) from None
    lines = _policy_lines(root)
    policies, seen = [], set()
    for i, item in enumerate(document.policies):
        line = lines[i] if i < len(lines) else 1
        try:
            record = _Policy.model_validate(item)
        except ValidationError as exc:
            raise PolicyFileError(line, _first(exc), source) from None
        if record.id in seen:
            raise PolicyFileError(line, f"{record.id}: a second policy of that id", source)
        seen.add(record.id)
        policies.append(_policy(record))
    if policies[-1].when != Conditions():
        raise PolicyFileError(lines[-1], "the last policy must hold for every appeal", source)
    return PolicySet(document.version, tuple(policies))


def _policy(record: _Policy) -> Policy:
    when = record.when or _When()
    return Policy(
        id=record.id,
        name=record.name,
        when=Conditions(when.urgent, tuple(when.topics), tuple(when.body_kinds),
                        tuple(when.territories)),
        first_response_seconds=seconds(record.first_response),
        resolution_seconds=seconds(record.resolution),
        mode=record.clock,
        warnings=tuple(sorted(record.warnings)),
        escalations=tuple(Escalation(seconds(e.after), e.to) for e in record.escalations),
        on_reassign=record.on_reassign,
        grace_seconds=seconds(record.grace),
    )  # fmt: skip


def _first(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or 'policies'}: {first['msg']}"


def _policy_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    node = next((v for k, v in root.value if k.value == "policies"), None)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]
