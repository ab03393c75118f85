"""Composition root: the classifier's publisher and consumer, built from settings."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from appeals_common.events import AppealReceived
from appeals_common.kafka import EventConsumer, KafkaPublisher, Route
from appeals_common.runtime import Loops
from appeals_common.topics import APPEALS_RECEIVED
from appeals_common.web import ReadinessCheck
from classifier.handlers import handle_appeal_received
from classifier.settings import Settings


@dataclass
class Classifier:
    settings: Settings
    publisher: KafkaPublisher
    consumer: EventConsumer

    async def start(self, loops: Loops) -> None:
        await self.publisher.start()
        await self.consumer.start()
        loops.start("consumer", self.consumer.run, self.consumer.stop)

    async def stop(self) -> None:
        await self.publisher.stop()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        return {"kafka": self.publisher.check}


def bootstrap(settings: Settings) -> Classifier:
    """Wire the handler to its topic; nothing is started here."""
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id="classifier")
    handler = partial(
        handle_appeal_received, publisher=publisher, min_confidence=settings.min_confidence
    )
    consumer = EventConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"classifier{settings.kafka_group_suffix}",
        routes=[Route(APPEALS_RECEIVED, AppealReceived, handler)],
        dead_letter=publisher,
        max_attempts=settings.handler_max_attempts,
    )
    return Classifier(settings=settings, publisher=publisher, consumer=consumer)
