"""An appeal's life in the queues as a state machine: `transition(state, command)` gives the
new state and what happened, or a Refusal that says why not. Pure: no I/O, time is passed in.

    routed ──claim──▶ claimed ──release / idle timeout──▶ routed
      │  ▲              │
      │  └─reassign─────┤            any open state ──answer──▶ answered
      │                 │            (an interim answer keeps it where it is)
      └──return─▶ returned (in the ЦУР triage queue)      ──merge───▶ merged
                                                           ──not an appeal──▶ not_appeal
    withdrawn: deleted on the platform (a restore brings it back to where it was)
    paused: the body waits for the resident (pause; resume, or the resident writes again)
"""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from router.domain.commands import (
    AddNote,
    Answer,
    Claim,
    Command,
    MarkNotAppeal,
    Merge,
    Pause,
    Reassign,
    Release,
    Resume,
    ReturnToTriage,
)


class Status(StrEnum):
    ROUTED = "routed"  # in an agency's queue, nobody holds it
    CLAIMED = "claimed"  # somebody took it into work
    RETURNED = "returned"  # the agency sent it back: in the ЦУР triage queue
    ANSWERED = "answered"
    MERGED = "merged"  # a duplicate: the main appeal's answer answers it
    NOT_APPEAL = "not_appeal"  # an operator found it is not an appeal (thanks, chatter, spam)
    WITHDRAWN = "withdrawn"  # deleted on the platform before an answer
    PAUSED = "paused"  # the body waits for the resident: the SLA clock stops


OPEN = frozenset({Status.ROUTED, Status.CLAIMED, Status.RETURNED, Status.PAUSED})


@dataclass(frozen=True)
class Holder:
    subject: str
    name: str
    until: datetime


@dataclass(frozen=True)
class AppealState:
    status: Status
    agency_id: str
    topic: str
    holder: Holder | None = None
    merged_into: uuid.UUID | None = None  # the main appeal, once merged


def resumed(state: AppealState, now: datetime) -> AppealState:
    """A wait ended: back in work with its holder, or in the queue when the claim lapsed."""
    held = state.holder is not None and state.holder.until > now
    return replace(state, status=Status.CLAIMED if held else Status.ROUTED,
                   holder=state.holder if held else None)  # fmt: skip


def effective_status(
    stored: Status,
    *,
    answered: bool,
    withdrawn: bool,
    holder_until: datetime | None,
    now: datetime,
) -> Status:
    """What the stored columns mean now: an operator's closing stands, then an answer (even
    one given on the platform), then a deletion; an idle claim has lapsed."""
    if stored in (Status.MERGED, Status.NOT_APPEAL):
        return stored
    if answered or stored is Status.ANSWERED:
        return Status.ANSWERED
    if withdrawn:
        return Status.WITHDRAWN
    if stored is Status.CLAIMED and (holder_until is None or holder_until <= now):
        return Status.ROUTED
    return stored


@dataclass(frozen=True)
class Refusal:
    """The command does not apply to the appeal as it is; `reason` is shown to the operator."""

    reason: str


@dataclass(frozen=True)
class Transition:
    before: AppealState
    after: AppealState
    command: Command


_CLOSED_REASONS = {
    Status.ANSWERED: "the appeal is already answered",
    Status.MERGED: "the appeal was merged into another one",
    Status.NOT_APPEAL: "the appeal was marked as not an appeal",
    Status.WITHDRAWN: "the appeal was deleted on the platform",
}


def transition(
    state: AppealState, command: Command, *, now: datetime, triage_agency_id: str
) -> Transition | Refusal:
    """Apply an operator's command to an appeal whose status is already effective (`now`)."""
    if isinstance(command, AddNote):
        return Transition(state, state, command)  # notes go on any appeal, open or closed
    if state.status not in OPEN:
        return Refusal(_CLOSED_REASONS[state.status])
    held_by_other = (
        state.status is Status.CLAIMED
        and state.holder is not None
        and state.holder.subject != command.actor.subject
    )
    if held_by_other and not isinstance(command, Reassign | ReturnToTriage | Release):
        assert state.holder is not None
        return Refusal(f"the appeal is held by {state.holder.name}")
    after = _apply(
        state, command, now=now, triage_agency_id=triage_agency_id, by_other=held_by_other
    )
    return after if isinstance(after, Refusal) else Transition(state, after, command)


def _apply(
    state: AppealState,
    command: Command,
    *,
    now: datetime,
    triage_agency_id: str,
    by_other: bool,
) -> AppealState | Refusal:
    match command:
        case Claim(actor=actor, idle=idle):
            holder = Holder(actor.subject, actor.display_name, now + idle)
            paused = state.status is Status.PAUSED  # taking it into work does not end the wait
            return replace(state, status=Status.PAUSED if paused else Status.CLAIMED, holder=holder)
        case Release(force=force):
            if state.status not in (Status.CLAIMED, Status.PAUSED) or state.holder is None:
                return Refusal("the appeal is not held by anyone")
            if by_other and not force:
                assert state.holder is not None
                return Refusal(f"the appeal is held by {state.holder.name}")
            paused = state.status is Status.PAUSED
            return replace(state, status=Status.PAUSED if paused else Status.ROUTED, holder=None)
        case Pause():
            if state.status is Status.PAUSED:
                return Refusal("the appeal already waits for the resident")
            return replace(state, status=Status.PAUSED)
        case Resume():
            if state.status is not Status.PAUSED:
                return Refusal("the appeal is not waiting for the resident")
            return resumed(state, now)
        case Answer(interim=True):
            return state  # the resident hears from the body; the work goes on
        case Answer():
            return replace(state, status=Status.ANSWERED, holder=None)
        case Reassign(agency_id=agency_id, topic=topic):
            new_topic = topic or state.topic
            if agency_id == state.agency_id and new_topic == state.topic:
                return Refusal(f"the appeal is already with {agency_id} under {new_topic}")
            status = Status.RETURNED if agency_id == triage_agency_id else Status.ROUTED
            return replace(state, status=status, agency_id=agency_id, topic=new_topic, holder=None)
        case ReturnToTriage():
            if state.agency_id == triage_agency_id:
                return Refusal("the appeal is already in the triage queue")
            return replace(state, status=Status.RETURNED, agency_id=triage_agency_id, holder=None)
        case MarkNotAppeal():
            return replace(state, status=Status.NOT_APPEAL, holder=None)
        case Merge(into=into):
            return replace(state, status=Status.MERGED, holder=None, merged_into=into)
    raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover
