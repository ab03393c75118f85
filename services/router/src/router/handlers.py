"""The router's handlers: route a classified appeal; record an agency's response.

Each writes its state and the event it implies in one transaction (the outbox), then wakes
the relay that publishes the event.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import OutboxRelay, enqueue
from appeals_common.events import (
    AppealAnswered,
    AppealClassified,
    AppealRouted,
    Envelope,
    ResponseChannel,
    new_envelope,
)
from appeals_common.topics import APPEALS_ANSWERED, APPEALS_ROUTED
from router import metrics
from router.adapters import repository
from router.adapters.orm import outbox
from router.domain.agencies import AgencyDirectory, route


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
    if inserted:
        metrics.ROUTED.labels(agency=decision.agency.id, topic=classification.topic).inc()
        deps.relay.wake()


class AppealNotFound(LookupError):
    pass


async def record_response(
    appeal_id: uuid.UUID, text: str, deps: RouterDeps
) -> tuple[uuid.UUID, datetime]:
    """Store an agency's answer and announce it; the first answer stops the SLA clock."""
    now = datetime.now(UTC)
    async with deps.sessions() as session, session.begin():
        assignment = await repository.get_assignment(session, appeal_id)
        if assignment is None:
            raise AppealNotFound(appeal_id)
        agency_id = assignment["agency_id"]
        response_id = await repository.add_response(
            session, appeal_id=appeal_id, agency_id=agency_id, text=text, at=now
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
