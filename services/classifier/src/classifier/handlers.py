"""The classifier's one handler: classify a received appeal and publish the result."""

import uuid

from appeals_common.events import AppealClassified, AppealReceived, Envelope, new_envelope
from appeals_common.kafka import Publisher
from appeals_common.topics import APPEALS_CLASSIFIED
from classifier import metrics
from classifier.domain.classify import classify


async def handle_appeal_received(
    event: Envelope[AppealReceived], *, publisher: Publisher, min_confidence: float
) -> None:
    """Classify and publish; a redelivered event publishes the same event id again."""
    appeal = event.payload
    result = classify(appeal.text, min_confidence=min_confidence)
    classified = new_envelope(
        AppealClassified(appeal=appeal, classification=result),
        source="classifier",
        correlation_id=event.correlation_id,
        event_id=uuid.uuid5(appeal.appeal_id, "classified"),
    )
    await publisher.publish(APPEALS_CLASSIFIED, classified, key=str(appeal.appeal_id))
    metrics.CLASSIFIED.labels(
        topic=result.topic,
        is_appeal=str(result.is_appeal).lower(),
        urgent=str(result.urgent).lower(),
    ).inc()
