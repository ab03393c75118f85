"""What operators ask of an appeal (imperative: ClaimAppeal's short names), each with its actor."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from appeals_common.auth import Principal


@dataclass(frozen=True)
class Claim:
    actor: Principal
    idle: timedelta  # the claim lapses after this long without a renewal


@dataclass(frozen=True)
class Release:
    actor: Principal
    force: bool = False  # an operator frees an appeal somebody else holds


@dataclass(frozen=True)
class Answer:
    actor: Principal
    text: str
    idempotency_key: str | None = None
    # «Приняли в работу, проверим до пятницы»: the first response; the appeal stays in work.
    interim: bool = False


@dataclass(frozen=True)
class Reassign:
    actor: Principal
    agency_id: str
    topic: str | None = None
    topic_name: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ReturnToTriage:
    actor: Principal
    comment: str


@dataclass(frozen=True)
class MarkNotAppeal:
    actor: Principal
    comment: str | None = None


@dataclass(frozen=True)
class Merge:
    actor: Principal
    into: uuid.UUID


@dataclass(frozen=True)
class Pause:
    """The body waits for the resident («ждём уточнения от заявителя»): the SLA clock stops."""

    actor: Principal
    reason: str


@dataclass(frozen=True)
class Resume:
    actor: Principal


@dataclass(frozen=True)
class AddNote:
    actor: Principal
    text: str


Command = (
    Claim
    | Release
    | Answer
    | Reassign
    | ReturnToTriage
    | MarkNotAppeal
    | Merge
    | Pause
    | Resume
    | AddNote
)
