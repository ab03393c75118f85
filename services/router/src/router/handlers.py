"""The router's handlers: route a classified appeal (or take its edit); record an agency's
response; follow what happened on the platform (an answer by the page, a deletion).

Each writes its state and the event it implies in one transaction (the outbox), then wakes
the relay that publishes the event.
"""

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import OutboxRelay, enqueue
from appeals_common.events import (
    AppealAnswered,
    AppealClassified,
    AppealRouted,
    AppealWithdrawn,
    Envelope,
    ResponseChannel,
    new_envelope,
)
from appeals_common.topics import APPEALS_ROUTED
from router import metrics
from router.adapters import repository
from router.adapters.orm import outbox
from router.domain.directory import Directory
from router.domain.routing import Appeal
from router.domain.rules import RuleRouting
from router.outcomes import routed_event
from router.routing_setup import RoutingSetup


@dataclass(frozen=True)
class RouterDeps:
    sessions: async_sessionmaker[AsyncSession]
    setup: RoutingSetup  # the directory version and rules in use, swapped when they change
    relay: OutboxRelay
    min_confidence: float

    @property
    def directory(self) -> Directory:
        return self.setup.directory

    @property
    def routing(self) -> RuleRouting:
        return self.setup.routing


async def handle_appeal_classified(event: Envelope[AppealClassified], deps: RouterDeps) -> None:
    """Assign the appeal to an agency; a redelivered event finds it assigned and does nothing."""
    appeal, classification = event.payload.appeal, event.payload.classification
    owner = deps.directory.page_owner(appeal.page_id) or deps.directory.get(appeal.body_id or "")
    decision = deps.routing.route(
        Appeal(classification, appeal.text, owner, appeal.page_id),
        min_confidence=deps.min_confidence,
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
                "external_id": appeal.external_id,
                "text": appeal.text,
                "revision": appeal.revision,
                "edited_at": appeal.edited_at,
                "permalink": appeal.permalink,
                "written_at": appeal.written_at,
                "routed_at": now,
                "correlation_id": event.correlation_id,
                "body_id": appeal.body_id,
                "classification_reason": classification.reason,
                "places": json.dumps(
                    [p.model_dump() for p in classification.places], ensure_ascii=False
                ),
                "candidates": json.dumps(
                    [c.model_dump() for c in classification.candidates], ensure_ascii=False
                ),
                "explanation": json.dumps(asdict(decision.explanation), ensure_ascii=False),
                "directory_version": deps.directory.version,
                "classification": classification.model_dump_json(),
            },
        )
        # Every revision is kept for the card, whichever arrives first or twice.
        await repository.keep_revision(
            session, appeal.appeal_id, appeal.revision, appeal.text, appeal.edited_at
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
                envelope = routed_event(reopened, name, now)
                await enqueue(session, outbox, APPEALS_ROUTED, envelope, key=str(appeal.appeal_id))
    if inserted:
        metrics.ROUTED.labels(agency=decision.agency.id, topic=classification.topic).inc()
        deps.relay.wake()
    elif edited:
        metrics.EDITS.inc()
        if reopened is not None:
            metrics.RESTORED.inc()
            deps.relay.wake()


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
