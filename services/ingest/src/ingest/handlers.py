"""Ingest's one command: put a normalised appeal on the received topic."""

import uuid

from appeals_common.events import AppealReceived, new_envelope
from appeals_common.kafka import Publisher
from appeals_common.topics import APPEALS_RECEIVED
from ingest import metrics


async def accept_appeal(appeal: AppealReceived, publisher: Publisher) -> None:
    """Publish the appeal and return once Kafka has acknowledged it."""
    event = new_envelope(
        appeal,
        source="ingest",
        correlation_id=str(appeal.appeal_id),
        # Deterministic, so a platform's retry of the same object is the same event.
        event_id=uuid.uuid5(appeal.appeal_id, "received"),
    )
    await publisher.publish(APPEALS_RECEIVED, event, key=str(appeal.appeal_id))
    metrics.APPEALS_RECEIVED.labels(platform=appeal.platform, kind=appeal.kind).inc()
