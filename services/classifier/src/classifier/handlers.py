"""The classifier's one handler: classify a received appeal and publish the result."""

import uuid
from typing import Protocol

from appeals_common.events import (
    AppealClassified,
    AppealReceived,
    Classification,
    Envelope,
    new_envelope,
)
from appeals_common.kafka import Publisher
from appeals_common.topics import APPEALS_CLASSIFIED
from classifier import metrics


class TextClassifier(Protocol):
    """The classifier in use (model_watch.CurrentModel in the service)."""

    def classify(self, text: str) -> Classification: ...


async def handle_appeal_received(
    event: Envelope[AppealReceived], *, publisher: Publisher, classifier: TextClassifier
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
