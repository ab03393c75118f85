"""The model in use, swapped for a newly promoted one without a restart.

Retraining (`python -m classifier.promotion`, a Kubernetes CronJob in deploy/k8s) replaces the
model file atomically on a shared volume. Each replica looks at the file every
`CLASSIFIER_MODEL_RELOAD_SECONDS`; when it changed, the new model is loaded off the event loop
and swapped in between two appeals, so every event names the version that classified it. A
file that will not load (half-copied, wrong format) leaves the current model in place.
"""

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path

from prometheus_client import Counter

from appeals_common.events import Classification
from classifier import metrics
from classifier.domain.classify import AppealClassifier

log = logging.getLogger("classifier.model")
RELOADS = Counter(
    "classifier_model_reloads_total", "Attempts to load a changed model file", ["outcome"]
)


class CurrentModel:
    """Classifies with whichever model was loaded last; what handlers and the API hold."""

    def __init__(self, classifier: AppealClassifier) -> None:
        self.classifier = classifier

    @property
    def version(self) -> str:
        return self.classifier.version

    def classify(self, text: str) -> Classification:
        """Classify with the current model."""
        return self.classifier.classify(text)


class ModelWatcher:
    """Reloads the model when its file changes."""

    def __init__(
        self,
        current: CurrentModel,
        path: Path,
        load: Callable[[], AppealClassifier],
        *,
        every_seconds: float,
    ) -> None:
        self.current, self.path, self._load = current, path, load
        self._every = every_seconds
        self._seen = _stamp(path)
        self._stopped = asyncio.Event()

    async def run(self) -> None:
        """Check the file until stopped."""
        while not self._stopped.is_set():
            try:
                await asyncio.wait_for(self._stopped.wait(), timeout=self._every)
            except TimeoutError:
                await self.check()

    async def stop(self) -> None:
        self._stopped.set()

    async def check(self) -> bool:
        """Load and swap in the model if its file changed since last seen; True if swapped."""
        stamp = _stamp(self.path)
        if stamp == self._seen or stamp is None:
            return False
        self._seen = stamp
        try:
            loaded = await asyncio.to_thread(self._load)
        except Exception as exc:  # a broken file must not take the running model down
            RELOADS.labels(outcome="failed").inc()
            log.error("kept model %s: cannot load %s (%s)", self.current.version, self.path, exc)
            return False
        previous, self.current.classifier = self.current.version, loaded
        metrics.model_loaded(loaded.version)
        RELOADS.labels(outcome="loaded").inc()
        log.info("model %s replaced %s", loaded.version, previous)
        return True


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size
