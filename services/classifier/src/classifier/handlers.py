"""The classifier's one handler: classify a received appeal and publish the result."""

import uuid

from appeals_common.events import AppealClassified, AppealReceived, Envelope, new_envelope
from appeals_common.kafka import Publisher
from appeals_common.topics import APPEALS_CLASSIFIED
from classifier import metrics
from classifier.domain.classify import AppealClassifier


async def handle_appeal_received(
    event: Envelope[AppealReceived], *, publisher: Publisher, classifier: AppealClassifier
) -> None:
    """Classify and publish; a redelivered event publishes the same event id again.

    Each revision (an edit on the platform) is classified anew, under its own event id.
    """
    appeal = event.payload
    result = classifier.classify(appeal.text)
    name = f"classified:{appeal.revision}" if appeal.revision else "classified"
    classified = new_envelope(
        AppealClassified(appeal=appeal, classification=result),
        source="classifier",
        correlation_id=event.correlation_id,
        event_id=uuid.uuid5(appeal.appeal_id, name),
    )
    await publisher.publish(APPEALS_CLASSIFIED, classified, key=str(appeal.appeal_id))
    metrics.count(result)
