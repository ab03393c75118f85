"""The router's handlers: route a classified appeal (or take its edit); record an agency's
response; follow what happened on the platform (an answer by the page, a deletion).

Each writes its state and the event it implies in one transaction (the outbox), then wakes
the relay that publishes the event.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import OutboxRelay, enqueue
from appeals_common.events import (
    AppealAnswered,
    AppealClassified,
    AppealRouted,
    AppealWithdrawn,
    ClassificationCorrected,
    Envelope,
    ResponseChannel,
    new_envelope,
)
from appeals_common.topics import APPEALS_ANSWERED, APPEALS_ROUTED, CLASSIFICATION_CORRECTIONS
from router import metrics
from router.adapters import repository
from router.adapters.orm import outbox
from router.domain.agencies import AgencyDirectory, route
from router.domain.reassignment import Current, ReassignAppeal, decide_reassignment


@dataclass(frozen=True)
class RouterDeps:
    sessions: async_sessionmaker[AsyncSession]
    directory: AgencyDirectory
    relay: OutboxRelay
    min_confidence: float


async def handle_appeal_classified(event: Envelope[AppealClassified], deps: RouterDeps) -> None:
    """Assign the appeal to an agency; a redelivered event finds it assigned and does nothing."""
    appeal, classification = event.payload.appeal, event.payload.classification
    decision = route(
        deps.directory, classification, appeal.body_id, min_confidence=deps.min_confidence
    )
    if decision is None:
        metrics.NOT_APPEALS.labels(topic=classification.topic).inc()
        return
    now = datetime.now(UTC)
    routed = AppealRouted(
        appeal_id=appeal.appeal_id,
        agency_id=decision.agency.id,
        agency_name=decision.agency.name,
        topic=classification.topic,
        urgent=classification.urgent,
        platform=appeal.platform,
        page_id=appeal.page_id,
        routed_at=now,
        written_at=appeal.written_at,
    )
    edited, reopened = False, None
    async with deps.sessions() as session, session.begin():
        inserted = await repository.add_assignment(
            session,
            {
                "appeal_id": appeal.appeal_id,
                "agency_id": decision.agency.id,
                "topic": classification.topic,
                "topic_name": classification.topic_name,
                "urgent": classification.urgent,
                "confidence": classification.confidence,
                "reason": decision.reason,
                "platform": appeal.platform,
                "kind": appeal.kind,
                "page_id": appeal.page_id,
                "author_platform_id": appeal.author.platform_id,
                "text": appeal.text,
                "revision": appeal.revision,
                "edited_at": appeal.edited_at,
                "permalink": appeal.permalink,
                "written_at": appeal.written_at,
                "routed_at": now,
                "correlation_id": event.correlation_id,
            },
        )
        if inserted:
            envelope = new_envelope(
                routed,
                source="router",
                correlation_id=event.correlation_id,
                event_id=uuid.uuid5(appeal.appeal_id, "routed"),
            )
            await enqueue(session, outbox, APPEALS_ROUTED, envelope, key=str(appeal.appeal_id))
        else:  # routed before: an edit on the platform brings a newer revision of the text
            edited = await repository.apply_edit(
                session,
                appeal.appeal_id,
                revision=appeal.revision,
                text=appeal.text,
                at=appeal.edited_at,
            )
            # A revision after a deletion is a restore: the appeal goes back in its queue.
            reopened = (
                await repository.reopen(session, appeal.appeal_id, appeal.edited_at)
                if edited and appeal.edited_at is not None
                else None
            )
            if reopened is not None:
                agency = deps.directory.get(reopened["agency_id"])
                name = agency.name if agency is not None else reopened["agency_id"]
                await _announce_routing(session, reopened, name, now)
    if inserted:
        metrics.ROUTED.labels(agency=decision.agency.id, topic=classification.topic).inc()
        deps.relay.wake()
    elif edited:
        metrics.EDITS.inc()
        if reopened is not None:
            metrics.RESTORED.inc()
            deps.relay.wake()


class AppealNotFound(LookupError):
    pass


async def record_response(
    appeal_id: uuid.UUID, text: str, deps: RouterDeps
) -> tuple[uuid.UUID, datetime]:
    """Store an agency's answer and announce it; the first answer stops the SLA clock."""
    now = datetime.now(UTC)
    async with deps.sessions() as session, session.begin():
        assignment = await repository.get_assignment(session, appeal_id, for_update=True)
        if assignment is None:
            raise AppealNotFound(appeal_id)
        agency_id, response_id = assignment["agency_id"], uuid.uuid4()
        await repository.add_response(
            session,
            response_id=response_id,
            appeal_id=appeal_id,
            agency_id=agency_id,
            channel=ResponseChannel.QUEUE,
            text=text,
            at=now,
        )
        answered = AppealAnswered(
            appeal_id=appeal_id,
            response_id=response_id,
            agency_id=agency_id,
            channel=ResponseChannel.QUEUE,
            answered_at=now,
        )
        envelope = new_envelope(
            answered,
            source="router",
            correlation_id=assignment["correlation_id"],
            event_id=response_id,
        )
        await enqueue(session, outbox, APPEALS_ANSWERED, envelope, key=str(appeal_id))
    metrics.RESPONSES.labels(agency=agency_id).inc()
    deps.relay.wake()
    return response_id, now


async def handle_appeal_answered(event: Envelope[AppealAnswered], deps: RouterDeps) -> None:
    """Record an answer the page gave on the platform: the appeal leaves the open queue."""
    answered = event.payload
    if answered.channel is not ResponseChannel.PLATFORM:
        return  # the queue's own answers were stored when they were given
    async with deps.sessions() as session, session.begin():
        stored = await repository.add_response(
            session,
            response_id=answered.response_id,
            appeal_id=answered.appeal_id,
            agency_id=answered.agency_id,
            channel=answered.channel,
            text=None,
            at=answered.answered_at,
        )
    if stored:
        metrics.PLATFORM_ANSWERS.inc()


async def handle_appeal_withdrawn(event: Envelope[AppealWithdrawn], deps: RouterDeps) -> None:
    """Take an appeal deleted on the platform out of the open queue (or keep it out)."""
    withdrawn = event.payload
    async with deps.sessions() as session, session.begin():
        recorded = await repository.withdraw(session, withdrawn.appeal_id, withdrawn.withdrawn_at)
    if recorded:
        metrics.WITHDRAWN.inc()


async def reassign_appeal(command: ReassignAppeal, deps: RouterDeps) -> dict[str, Any]:
    """Move an appeal to another agency (or correct its topic) and announce both.

    The new routing goes to the SLA monitor (its backlog and breaches follow the agency); the
    correction goes to the classifier, which learns from it.
    """
    now = datetime.now(UTC)
    async with deps.sessions() as session, session.begin():
        row = await repository.get_assignment(session, command.appeal_id, for_update=True)
        if row is None:
            raise AppealNotFound(command.appeal_id)
        current = Current(
            agency_id=row["agency_id"],
            topic=row["topic"],
            topic_name=row["topic_name"],
            answered=row["answered_at"] is not None,
            withdrawn=row["withdrawn_at"] is not None,
        )
        decision = decide_reassignment(deps.directory, current, command)
        reason = "reassigned by an operator" + (f": {command.comment}" if command.comment else "")
        moved = await repository.reassign(
            session,
            command.appeal_id,
            agency_id=decision.agency.id,
            topic=decision.topic,
            topic_name=decision.topic_name,
            reason=reason,
        )
        await _announce_routing(session, moved, decision.agency.name, now)
        corrected = ClassificationCorrected(
            appeal_id=command.appeal_id,
            text=row["text"],
            topic_before=current.topic,
            topic_after=decision.topic,
            agency_before=current.agency_id,
            agency_after=decision.agency.id,
            comment=command.comment,
            corrected_at=now,
        )
        envelope = new_envelope(corrected, source="router", correlation_id=row["correlation_id"])
        key = str(command.appeal_id)
        await enqueue(session, outbox, CLASSIFICATION_CORRECTIONS, envelope, key=key)
    metrics.REASSIGNED.labels(agency=decision.agency.id).inc()
    deps.relay.wake()
    return moved


async def _announce_routing(
    session: AsyncSession, row: dict[str, Any], agency_name: str, now: datetime
) -> None:
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
    envelope = new_envelope(
        routed,
        source="router",
        correlation_id=row["correlation_id"],
        event_id=uuid.uuid5(row["appeal_id"], f"routed:{row['routing']}"),
    )
    await enqueue(session, outbox, APPEALS_ROUTED, envelope, key=str(row["appeal_id"]))
