"""Ingest's one command: put what a platform event means on its topic, durably."""

import asyncio
import uuid
from typing import Protocol

from appeals_common.errors import DependencyUnavailable
from appeals_common.events import (
    AppealAnswered,
    AppealReceived,
    AppealWithdrawn,
    ResponseChannel,
    new_envelope,
)
from appeals_common.kafka import Publisher
from appeals_common.topics import APPEALS_ANSWERED, APPEALS_RECEIVED, APPEALS_WITHDRAWN
from ingest import metrics
from ingest.domain.outcomes import Emit


async def publish(emit: Emit, publisher: Publisher) -> None:
    """Publish the event keyed by its appeal; return once Kafka has acknowledged it."""
    payload = emit.payload
    event = new_envelope(
        payload, source="ingest", correlation_id=str(payload.appeal_id), event_id=emit.event_id
    )
    await publisher.publish(_topic(payload), event, key=str(payload.appeal_id))
    _count(payload)


class OwnReplies(Protocol):
    async def ours(self, answered: AppealAnswered) -> bool:
        """Whether this reply of the page is an answer our delivery worker posted."""
        ...


async def is_own_reply(emit: Emit, own: OwnReplies | None) -> bool:
    """A page's reply that we posted ourselves: the answer is known, it is not a new one."""
    payload = emit.payload
    if not isinstance(payload, AppealAnswered) or payload.channel is not ResponseChannel.PLATFORM:
        return False
    if own is None or not await own.ours(payload):
        return False
    metrics.OWN_REPLIES_SEEN.inc()
    return True


async def accept_appeal(appeal: AppealReceived, publisher: Publisher) -> None:
    """Publish an original appeal (revision 0) from the generic API."""
    # Deterministic, so a source's retry of the same object is the same event.
    await publish(Emit(appeal, uuid.uuid5(appeal.appeal_id, "received")), publisher)


async def accept_appeals(appeals: list[AppealReceived], publisher: Publisher) -> None:
    """Publish original appeals concurrently; return once Kafka acknowledged every one.

    When any is not acknowledged, DependencyUnavailable once all have settled: the caller
    retries the whole batch, and the deterministic event ids make the repeats no-ops.
    """
    results = await asyncio.gather(
        *(accept_appeal(appeal, publisher) for appeal in appeals), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    unavailable = [f for f in failures if isinstance(f, DependencyUnavailable)]
    if unavailable:
        raise unavailable[0]
    if failures:
        raise failures[0]


def _topic(payload: AppealReceived | AppealWithdrawn | AppealAnswered) -> str:
    if isinstance(payload, AppealReceived):
        return APPEALS_RECEIVED
    if isinstance(payload, AppealWithdrawn):
        return APPEALS_WITHDRAWN
    return APPEALS_ANSWERED


def _count(payload: AppealReceived | AppealWithdrawn | AppealAnswered) -> None:
    if isinstance(payload, AppealReceived) and payload.revision == 0:
        metrics.APPEALS_RECEIVED.labels(platform=payload.platform, kind=payload.kind).inc()
    elif isinstance(payload, AppealReceived):
        metrics.APPEAL_REVISIONS.labels(platform=payload.platform, kind=payload.kind).inc()
    elif isinstance(payload, AppealWithdrawn):
        metrics.APPEALS_WITHDRAWN.labels(platform=payload.platform).inc()
    else:
        metrics.PLATFORM_ANSWERS.inc()
