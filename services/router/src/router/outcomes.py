"""Between the lifecycle and storage: a stored row as the domain's state, a transition as the
columns it changes, and the events each transition announces to the other services."""

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from appeals_common.events import (
    AnswerKind,
    AnswerRequested,
    AppealAnswered,
    AppealClosed,
    AppealKind,
    AppealPauseChanged,
    AppealRouted,
    ClassificationCorrected,
    Envelope,
    EventPayload,
    Platform,
    ResponseChannel,
    new_envelope,
)
from appeals_common.topics import (
    ANSWERS_REQUESTED,
    APPEALS_ANSWERED,
    APPEALS_CLOSED,
    APPEALS_PAUSES,
    APPEALS_ROUTED,
    CLASSIFICATION_CORRECTIONS,
)
from router.domain.commands import MarkNotAppeal, Merge, Pause, Reassign, ReturnToTriage
from router.domain.deliveries import DeliveryState, is_deliverable
from router.domain.lifecycle import AppealState, Holder, Status, Transition, effective_status
from router.ports import Row

NOT_APPEAL_TOPIC = "not_appeal"


def appeal_state(row: Row, now: datetime) -> AppealState:
    """The appeal as the lifecycle sees it at `now` (an idle claim has lapsed)."""
    status = effective_status(
        Status(row["status"]),
        answered=row["answered_at"] is not None,
        withdrawn=row["withdrawn_at"] is not None,
        holder_until=row["holder_until"],
        now=now,
    )
    live = row["holder_until"] is not None and row["holder_until"] > now
    holder = (
        Holder(row["holder_sub"], row["holder_name"], row["holder_until"])
        if status is Status.CLAIMED or (status is Status.PAUSED and live)
        else None
    )
    return AppealState(status, row["agency_id"], row["topic"], holder, row["merged_into"])


def changes_of(row: Row, outcome: Transition, now: datetime, agency_name: str) -> dict[str, Any]:
    """The columns a transition sets; a move to another agency counts the routing up."""
    after, command = outcome.after, outcome.command
    holder = after.holder
    changes: dict[str, Any] = {
        "status": after.status.value,
        "holder_sub": holder.subject if holder else None,
        "holder_name": holder.name if holder else None,
        "holder_until": holder.until if holder else None,
    }
    if after.agency_id != row["agency_id"] or after.topic != row["topic"]:
        topic_name = row["topic_name"]
        if isinstance(command, Reassign) and after.topic != row["topic"]:
            topic_name = command.topic_name or after.topic
        # Shown to operators as it is, hence in Russian.
        verb = "вернул(а) в ЦУР" if isinstance(command, ReturnToTriage) else "перенаправил(а)"
        reason = f"{verb} {command.actor.display_name}: {agency_name}"
        changes |= {
            "agency_id": after.agency_id,
            "topic": after.topic,
            "topic_name": topic_name,
            "reason": reason,
            "routing": row["routing"] + 1,
        }
    if after.status is Status.ANSWERED:
        changes["answered_at"] = now
    if after.status in (Status.MERGED, Status.NOT_APPEAL):
        changes |= {"closed_at": now, "merged_into": after.merged_into}
    return changes


def announce(
    before: Row, after: Row, outcome: Transition, agency_name: str, now: datetime
) -> list[tuple[str, Envelope[Any]]]:
    """What the other services hear of a transition (claims and notes stay in the router)."""
    command = outcome.command
    events: list[tuple[str, Envelope[Any]]] = []
    if after["routing"] != before["routing"]:
        events.append((APPEALS_ROUTED, routed_event(after, agency_name, now)))
    if isinstance(command, Reassign | MarkNotAppeal) and (
        after["topic"] != before["topic"]
        or after["agency_id"] != before["agency_id"]
        or isinstance(command, MarkNotAppeal)
    ):
        events.append((CLASSIFICATION_CORRECTIONS, _corrected(before, after, command, now)))
    if isinstance(command, Merge | MarkNotAppeal):
        closed = AppealClosed(
            appeal_id=after["appeal_id"],
            agency_id=after["agency_id"],
            reason=outcome.after.status.value,
            merged_into=after["merged_into"],
            closed_at=now,
        )
        events.append((APPEALS_CLOSED, _wrap(closed, after, f"closed:{after['version']}")))
    waits = (outcome.before.status is Status.PAUSED, outcome.after.status is Status.PAUSED)
    if waits[0] != waits[1]:  # a wait begins, or ends (a resume, or any move out of it)
        reason = command.reason if isinstance(command, Pause) else None
        events.append((APPEALS_PAUSES, pause_event(after, paused=waits[1], at=now, reason=reason)))
    return events


def pause_event(
    row: Row, *, paused: bool, at: datetime, reason: str | None = None, by_resident: bool = False
) -> Envelope[AppealPauseChanged]:
    """The SLA clock stops while the body waits for the resident, and runs on after."""
    change = AppealPauseChanged(
        appeal_id=row["appeal_id"], agency_id=row["agency_id"], paused=paused, at=at,
        reason=reason, by_resident=by_resident,
    )  # fmt: skip
    return _wrap(change, row, f"pause:{row['version']}")


def routed_event(row: Row, agency_name: str, now: datetime) -> Envelope[AppealRouted]:
    """The appeal's current routing, for the SLA monitor: after a move or a restore."""
    routed = AppealRouted(
        appeal_id=row["appeal_id"],
        agency_id=row["agency_id"],
        agency_name=agency_name,
        topic=row["topic"],
        urgent=row["urgent"],
        platform=row["platform"],
        page_id=row["page_id"],
        routed_at=now,
        written_at=row["written_at"],
        routing=row["routing"],
    )
    return _wrap(routed, row, f"routed:{row['routing']}")


def answered_event(row: Row, answer: Mapping[str, Any]) -> tuple[str, Envelope[Any]]:
    answered = AppealAnswered(
        appeal_id=row["appeal_id"],
        response_id=answer["response_id"],
        agency_id=row["agency_id"],
        channel=ResponseChannel.QUEUE,
        answered_at=answer["created_at"],
        kind=AnswerKind(answer.get("kind", AnswerKind.FINAL)),
    )
    envelope = new_envelope(
        answered,
        source="router",
        correlation_id=row["correlation_id"],
        event_id=answer["response_id"],
    )
    return APPEALS_ANSWERED, envelope


def delivery_of(row: Row, answer: Mapping[str, Any], now: datetime) -> Row | None:
    """The delivery an answer to this appeal needs (None when it is not posted anywhere)."""
    if not is_deliverable(row["platform"], row.get("external_id")):
        return None
    return {
        "delivery_id": uuid.uuid5(answer["response_id"], str(row["appeal_id"])),
        "response_id": answer["response_id"],
        "appeal_id": row["appeal_id"],
        "platform": row["platform"],
        "round": 0,
        "state": DeliveryState.PENDING.value,
        "requested_at": now,
        "updated_at": now,
    }


def delivery_requested(
    row: Row, delivery: Mapping[str, Any], text: str, now: datetime
) -> tuple[str, Envelope[Any]]:
    """Ask the platform edge to post the answer (again, in a later round)."""
    requested = AnswerRequested(
        delivery_id=delivery["delivery_id"],
        appeal_id=row["appeal_id"],
        response_id=delivery["response_id"],
        platform=Platform(row["platform"]),
        kind=AppealKind(row["kind"]),
        page_id=row["page_id"],
        external_id=row["external_id"],
        author_platform_id=row["author_platform_id"],
        text=text,
        round=delivery["round"],
        requested_at=now,
    )
    return ANSWERS_REQUESTED, _wrap(
        requested, row, f"deliver:{delivery['delivery_id']}:{delivery['round']}"
    )


def _corrected(
    before: Row, after: Row, command: Reassign | MarkNotAppeal, now: datetime
) -> Envelope[ClassificationCorrected]:
    not_appeal = isinstance(command, MarkNotAppeal)
    corrected = ClassificationCorrected(
        appeal_id=before["appeal_id"],
        text=before["text"],
        topic_before=before["topic"],
        topic_after=NOT_APPEAL_TOPIC if not_appeal else after["topic"],
        agency_before=before["agency_id"],
        agency_after=after["agency_id"],
        comment=command.comment,
        corrected_at=now,
    )
    return _wrap(corrected, after, f"corrected:{after['version']}")


def _wrap(payload: EventPayload, row: Row, name: str) -> Envelope[Any]:
    # Deterministic ids: a retried transaction that committed once is announced once.
    event_id = uuid.uuid5(row["appeal_id"], name)
    return new_envelope(
        payload, source="router", correlation_id=row["correlation_id"], event_id=event_id
    )
