"""The router's handlers: route a classified appeal (or take its edit); record an agency's
response; follow what happened on the platform (an answer by the page, a deletion).

Each writes its state and the event it implies in one transaction (the outbox), then wakes
the relay that publishes the event.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import OutboxRelay, enqueue_many
from appeals_common.events import (
    AppealAnswered,
    AppealClassified,
    AppealReceived,
    AppealRouted,
    AppealWithdrawn,
    Envelope,
    ResponseChannel,
    new_envelope,
)
from appeals_common.topics import APPEALS_ROUTED
from router import metrics
from router.adapters import repository, routing_sql
from router.adapters.orm import outbox
from router.domain.directory import Directory
from router.domain.routing import Appeal, Routed
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


@dataclass(frozen=True)
class _Routed:
    event: Envelope[AppealClassified]
    decision: Routed
    routed: AppealRouted


async def handle_appeal_classified(event: Envelope[AppealClassified], deps: RouterDeps) -> None:
    await route_batch([event], deps)


async def route_batch(events: Sequence[Envelope[AppealClassified]], deps: RouterDeps) -> None:
    """Assign the appeals to agencies, in one transaction; a redelivered appeal finds itself
    assigned and does nothing, and a newer revision of one routed before is its edit."""
    now = datetime.now(UTC)
    decided = [r for r in (_decide(event, deps, now) for event in events) if r is not None]
    firsts: dict[uuid.UUID, _Routed] = {}
    for item in decided:  # the same appeal again later in the batch is its redelivery or edit
        firsts.setdefault(item.routed.appeal_id, item)
    edits: list[bool] = []
    restored = 0
    async with deps.sessions() as session, session.begin():
        inserted = await routing_sql.add_assignments(
            session, [_assignment(item, deps, now) for item in firsts.values()]
        )
        # Every revision is kept for the card, whichever arrives first or twice.
        await routing_sql.keep_revisions(session, [_revision(item.event) for item in decided])
        await enqueue_many(session, outbox, [
            (APPEALS_ROUTED, new_envelope(
                item.routed, source="router", correlation_id=item.event.correlation_id,
                event_id=uuid.uuid5(item.routed.appeal_id, "routed"),
            ), str(item.routed.appeal_id))
            for item in firsts.values() if item.routed.appeal_id in inserted
        ])  # fmt: skip
        for item in decided:
            if firsts[item.routed.appeal_id] is item and item.routed.appeal_id in inserted:
                continue
            edited, reopened = await _take_edit(session, item.event.payload.appeal, deps, now)
            edits.append(edited)
            restored += reopened
    for item in firsts.values():
        if item.routed.appeal_id in inserted:
            metrics.ROUTED.labels(agency=item.decision.agency.id, topic=item.routed.topic).inc()
    metrics.EDITS.inc(sum(edits))
    metrics.RESTORED.inc(restored)
    if inserted or restored:
        deps.relay.wake()


def _decide(event: Envelope[AppealClassified], deps: RouterDeps, now: datetime) -> _Routed | None:
    """The routing decision, or None for what is not an appeal (nothing is stored)."""
    appeal, classification = event.payload.appeal, event.payload.classification
    owner = deps.directory.page_owner(appeal.page_id) or deps.directory.get(appeal.body_id or "")
    decision = deps.routing.route(
        Appeal(classification, appeal.text, owner, appeal.page_id),
        min_confidence=deps.min_confidence,
    )
    if decision is None:
        metrics.NOT_APPEALS.labels(topic=classification.topic).inc()
        return None
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
    return _Routed(event, decision, routed)


def _assignment(item: _Routed, deps: RouterDeps, now: datetime) -> dict[str, Any]:
    appeal, classification = item.event.payload.appeal, item.event.payload.classification
    decision = item.decision
    return {
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
        "correlation_id": item.event.correlation_id,
        "body_id": appeal.body_id,
        "classification_reason": classification.reason,
        # pydantic's serialiser: json.dumps(asdict(…)) took about 7 % of the router's CPU.
        "places": to_json(classification.places).decode(),
        "candidates": to_json(classification.candidates).decode(),
        "explanation": to_json(decision.explanation).decode(),
        "directory_version": deps.directory.version,
        "classification": classification.model_dump_json(),
    }


def _revision(event: Envelope[AppealClassified]) -> routing_sql.Revision:
    appeal = event.payload.appeal
    return appeal.appeal_id, appeal.revision, appeal.text, appeal.edited_at


async def _take_edit(
    session: AsyncSession, appeal: AppealReceived, deps: RouterDeps, now: datetime
) -> tuple[bool, bool]:
    """An appeal routed before: take a newer revision of its text (an edit on the platform);
    a revision after a deletion is a restore, and the appeal goes back in its queue.
    Whether it was edited, and restored."""
    edited = await repository.apply_edit(
        session, appeal.appeal_id, revision=appeal.revision, text=appeal.text, at=appeal.edited_at
    )
    if not edited or appeal.edited_at is None:
        return edited, False
    reopened = await repository.reopen(session, appeal.appeal_id, appeal.edited_at)
    if reopened is None:
        return edited, False
    agency = deps.directory.get(reopened["agency_id"])
    name = agency.name if agency is not None else reopened["agency_id"]
    envelope = routed_event(reopened, name, now)
    await enqueue_many(session, outbox, [(APPEALS_ROUTED, envelope, str(appeal.appeal_id))])
    return edited, True


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
