"""The classifier's one handler: classify received appeals and publish the results."""

import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from appeals_common.events import (
    AppealClassified,
    AppealReceived,
    Classification,
    Envelope,
    new_envelope,
)
from appeals_common.topics import APPEALS_CLASSIFIED
from classifier import metrics


class TextClassifier(Protocol):
    """The classifier in use (model_watch.CurrentModel in the service)."""

    def classify(self, text: str) -> Classification: ...


class BatchPublisher(Protocol):
    async def publish_many(self, events: Sequence[tuple[str, Envelope[Any], str]]) -> None:
        """Send the events (topic, event, key) and return once Kafka has them all."""


async def handle_appeal_received(
    event: Envelope[AppealReceived], *, publisher: BatchPublisher, classifier: TextClassifier
) -> None:
    await handle_received_batch([event], publisher=publisher, classifier=classifier)


async def handle_received_batch(
    events: Sequence[Envelope[AppealReceived]],
    *,
    publisher: BatchPublisher,
    classifier: TextClassifier,
) -> None:
    """Classify the appeals and publish them together; a redelivered event publishes the
    same event id again. Each revision (an edit on the platform) is classified anew, under
    its own event id."""
    results = [classifier.classify(event.payload.text) for event in events]
    await publisher.publish_many([
        (APPEALS_CLASSIFIED, _classified(event, result), str(event.payload.appeal_id))
        for event, result in zip(events, results, strict=True)
    ])  # fmt: skip
    for result in results:
        metrics.count(result)


def _classified(event: Envelope[AppealReceived], result: Classification) -> Envelope[Any]:
    appeal = event.payload
    name = f"classified:{appeal.revision}" if appeal.revision else "classified"
    return new_envelope(
        AppealClassified(appeal=appeal, classification=result),
        source="classifier",
        correlation_id=event.correlation_id,
        event_id=uuid.uuid5(appeal.appeal_id, name),
    )
