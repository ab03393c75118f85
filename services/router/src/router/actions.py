"""Handlers of operators' commands: load the appeal, check who may, let the lifecycle decide,
store the new state with its audit record and its events in one unit of work.

Errors (the API turns each into its status):
ActionError
├── AppealNotFound      no such appeal, or one the caller may not see (404)
├── ActionForbidden     the caller sees it but their role may not do this (403)
├── VersionRequired     a change without the version it was based on (428)
├── StaleVersion        somebody changed it since (412, with the current appeal)
├── ActionRefused       the lifecycle refuses it in this state (409, with the reason)
└── InvalidTarget       an agency or main appeal that does not exist (422)
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from appeals_common.auth import Principal
from appeals_common.events import AnswerKind
from router.domain.access import Action, can_see, may
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
from router.domain.directory import Directory
from router.domain.lifecycle import OPEN, Refusal, Status, Transition, transition
from router.outcomes import (
    announce,
    answered_event,
    appeal_state,
    changes_of,
    delivery_of,
    delivery_requested,
)
from router.ports import Clock, Row, UnitOfWork


class ActionError(Exception):
    """Base of what an operator's command can run into."""


class AppealNotFound(ActionError):
    pass


class ActionForbidden(ActionError):
    pass


class VersionRequired(ActionError):
    pass


class StaleVersion(ActionError):
    def __init__(self, current: Row) -> None:
        super().__init__("the appeal was changed since you loaded it")
        self.current = current


class ActionRefused(ActionError):
    def __init__(self, reason: str, current: Row) -> None:
        super().__init__(reason)
        self.current = current


class InvalidTarget(ActionError):
    pass


class HasDirectory(Protocol):
    """Where the directory in use comes from (routing_setup.RoutingSetup in the service)."""

    @property
    def directory(self) -> Directory: ...


@dataclass(frozen=True)
class ActionDeps:
    unit_of_work: Callable[[], UnitOfWork]
    setup: HasDirectory
    clock: Clock
    claim_idle: timedelta
    published: Callable[[], None]  # wakes the outbox relay after a commit

    @property
    def directory(self) -> Directory:
        return self.setup.directory


@dataclass(frozen=True)
class ActionResult:
    appeal: Row
    answer: Row | None = None
    replayed: bool = False  # an Idempotency-Key seen before: nothing new was stored


_ACTIONS: dict[type[Command], Action] = {
    Claim: Action.CLAIM,
    Release: Action.RELEASE,
    Answer: Action.ANSWER,
    AddNote: Action.NOTE,
    Reassign: Action.REASSIGN,
    ReturnToTriage: Action.RETURN,
    MarkNotAppeal: Action.NOT_APPEAL,
    Merge: Action.MERGE,
    Pause: Action.PAUSE,
    Resume: Action.PAUSE,
}


def required_action(command: Command) -> Action:
    if isinstance(command, Release) and command.force:
        return Action.FORCE_RELEASE
    return _ACTIONS[type(command)]


async def act(
    appeal_id: uuid.UUID, command: Command, version: int | None, deps: ActionDeps
) -> ActionResult:
    """Carry out an operator's command on an appeal, or raise the ActionError that says why not."""
    actor, now = command.actor, deps.clock()
    async with deps.unit_of_work() as uow:
        row = await _visible(uow, appeal_id, actor, deps.directory, lock=True)
        # Looked up under the lock: a twin request still in flight has committed by now, so
        # a double click gets the stored answer back, not a stale version.
        if isinstance(command, Answer) and command.idempotency_key:
            replay = await uow.appeals.find_answer(appeal_id, command.idempotency_key)
            if replay is not None:
                return ActionResult(row, replay, replayed=True)
        if not may(actor, required_action(command)):
            raise ActionForbidden(f"your role may not {required_action(command).value}")
        if not isinstance(command, AddNote):
            if version is None:
                raise VersionRequired("send the version you saw in If-Match")
            if version != row["version"]:
                raise StaleVersion(row)
        await _check_target(uow, command, appeal_id, deps.directory)
        outcome = transition(
            appeal_state(row, now),
            command,
            now=now,
            triage_agency_id=deps.directory.triage_agency_id,
        )
        if isinstance(outcome, Refusal):
            raise ActionRefused(outcome.reason, row)
        result = await _store(uow, row, outcome, deps, now)
    deps.published()
    return result


async def _visible(
    uow: UnitOfWork,
    appeal_id: uuid.UUID,
    actor: Principal,
    directory: Directory,
    *,
    lock: bool,
) -> Row:
    row = await uow.appeals.get(appeal_id, lock=lock)
    if row is None or not can_see(actor, row["agency_id"], directory):
        raise AppealNotFound(f"no appeal {appeal_id}")
    return row


async def _check_target(
    uow: UnitOfWork, command: Command, appeal_id: uuid.UUID, directory: Directory
) -> None:
    if isinstance(command, Reassign) and directory.get(command.agency_id) is None:
        raise InvalidTarget("no such agency in the directory")  # not echoed: it is input
    if isinstance(command, Merge):
        if command.into == appeal_id:
            raise InvalidTarget("an appeal cannot be merged into itself")
        main = await uow.appeals.get(command.into)
        if main is None or not can_see(command.actor, main["agency_id"], directory):
            raise InvalidTarget(f"no appeal {command.into} to merge into")
        if main["status"] in (Status.MERGED, Status.NOT_APPEAL):
            raise InvalidTarget("the main appeal is itself closed; merge into the one it went to")


async def _store(
    uow: UnitOfWork, row: Row, outcome: Transition, deps: ActionDeps, now: datetime
) -> ActionResult:
    command = outcome.command
    actor = command.actor
    if isinstance(command, AddNote):
        note = {
            "note_id": uuid.uuid4(),
            "appeal_id": row["appeal_id"],
            "author_sub": actor.subject,
            "author_name": actor.display_name,
            "text": command.text,
            "created_at": now,
        }
        await uow.appeals.add_note(note)
        await _audit(uow, row, row, outcome, now, {"note_id": str(note["note_id"])})
        return ActionResult(row)
    agency = deps.directory.get(outcome.after.agency_id)
    agency_name = agency.name if agency is not None else outcome.after.agency_id
    after = await uow.appeals.update(
        row["appeal_id"], row["version"], changes_of(row, outcome, now, agency_name)
    )
    answer = None
    if isinstance(command, Answer):
        answer = await _answer(
            uow, after, command.text, actor, now, command.idempotency_key, command.interim
        )
        duplicates = [] if command.interim else await uow.appeals.duplicates_of(after["appeal_id"])
        for duplicate in duplicates:  # the final answer answers the duplicates too
            await _answer(uow, duplicate, command.text, actor, now, None)
    if isinstance(command, Merge) and row["status"] != Status.ANSWERED:
        main = await uow.appeals.get(command.into)
        main_answer = await uow.appeals.latest_answer(command.into)
        if main is not None and main["status"] not in OPEN and main_answer is not None:
            await _answer(uow, after, main_answer["text"], actor, now, None)
    for topic, event in announce(row, after, outcome, agency_name, now):
        await uow.publish(topic, event, key=str(row["appeal_id"]))
    await _audit(uow, row, after, outcome, now, _detail(command))
    return ActionResult(after, answer)


async def _answer(
    uow: UnitOfWork,
    row: Row,
    text: str,
    actor: Principal,
    now: datetime,
    key: str | None,
    interim: bool = False,
) -> Row:
    values = {
        "response_id": uuid.uuid4(),
        "appeal_id": row["appeal_id"],
        "agency_id": row["agency_id"],
        "channel": "queue",
        "text": text,
        "created_at": now,
        "author_sub": actor.subject,
        "author_name": actor.display_name,
        "idempotency_key": key,
        "kind": AnswerKind.INTERIM.value if interim else AnswerKind.FINAL.value,
    }
    await uow.appeals.add_answer(values)
    topic, event = answered_event(row, values)
    await uow.publish(topic, event, key=str(row["appeal_id"]))
    delivery = delivery_of(row, values, now)
    if delivery is not None:  # posted back where the resident wrote (docs/delivery.md)
        await uow.appeals.add_delivery(delivery)
        topic, event = delivery_requested(row, delivery, text, now)
        await uow.publish(topic, event, key=str(row["appeal_id"]))
    return values


async def _audit(
    uow: UnitOfWork, before: Row, after: Row, outcome: Transition, now: datetime, detail: object
) -> None:
    await uow.appeals.add_audit(
        {
            "appeal_id": before["appeal_id"],
            "at": now,
            "actor_sub": outcome.command.actor.subject,
            "actor_name": outcome.command.actor.display_name,
            "action": required_action(outcome.command).value,
            "from_status": outcome.before.status.value,
            "to_status": outcome.after.status.value,
            "from_agency": before["agency_id"],
            "to_agency": after["agency_id"],
            "version": after["version"],
            "detail": json.dumps(detail, ensure_ascii=False) if detail else None,
        }
    )


def _detail(command: Command) -> dict[str, Any]:
    match command:
        case Reassign(topic=topic, comment=comment):
            return {k: v for k, v in {"topic": topic, "comment": comment}.items() if v}
        case Pause(reason=reason):
            return {"reason": reason}
        case ReturnToTriage(comment=comment) | MarkNotAppeal(comment=comment):
            return {"comment": comment} if comment else {}
        case Merge(into=into):
            return {"merged_into": str(into)}
        case Release(force=True):
            return {"forced": True}
    return {}
