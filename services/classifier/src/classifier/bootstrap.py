"""Composition root: the model, the classifier, its publisher and consumer, built from settings."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import pymorphy3

from appeals_common.events import AppealReceived
from appeals_common.kafka import BatchRoute, EventConsumer, KafkaPublisher
from appeals_common.runtime import Loops
from appeals_common.topics import APPEALS_RECEIVED
from appeals_common.web import ReadinessCheck
from classifier import metrics
from classifier.adapters.artifact import load_models
from classifier.adapters.navec_vectors import classifier_for
from classifier.domain.classify import AppealClassifier, triage_threshold
from classifier.domain.text import Lemmatiser
from classifier.handlers import handle_received_batch
from classifier.model_watch import CurrentModel, ModelWatcher
from classifier.settings import Settings


@dataclass
class Classifier:
    settings: Settings
    classifier: CurrentModel
    publisher: KafkaPublisher
    consumer: EventConsumer
    watcher: ModelWatcher

    async def start(self, loops: Loops) -> None:
        await self.publisher.start()
        await self.consumer.start()
        loops.start("consumer", self.consumer.run, self.consumer.stop)
        loops.start("model-watch", self.watcher.run, self.watcher.stop)

    async def stop(self) -> None:
        await self.publisher.stop()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        return {"kafka": self.publisher.check}


def build_classifier(settings: Settings) -> AppealClassifier:
    """Load the trained models (ModelArtifactMissing says how to make them) and the morphology."""
    models = load_models(settings.model_file)
    lemmatiser = Lemmatiser(pymorphy3.MorphAnalyzer())
    threshold = triage_threshold(models, settings.min_confidence)
    classifier = classifier_for(models, lemmatiser, min_confidence=threshold)
    metrics.model_loaded(classifier.version)
    return classifier


def bootstrap(settings: Settings) -> Classifier:
    """Load the model and wire the handler to its topic; no connection is made here."""
    classifier = CurrentModel(build_classifier(settings))
    watcher = ModelWatcher(
        classifier,
        settings.model_file,
        partial(build_classifier, settings),
        every_seconds=settings.model_reload_seconds,
    )
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id="classifier")
    handler = partial(handle_received_batch, publisher=publisher, classifier=classifier)
    consumer = EventConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"classifier{settings.kafka_group_suffix}",
        routes=[BatchRoute(APPEALS_RECEIVED, AppealReceived, handler)],
        dead_letter=publisher,
        max_attempts=settings.handler_max_attempts,
    )
    return Classifier(
        settings=settings,
        classifier=classifier,
        publisher=publisher,
        consumer=consumer,
        watcher=watcher,
    )
