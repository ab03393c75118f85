"""The classifier's own metrics: decisions by topic and category, triage share, model version."""

from collections import deque

from prometheus_client import Counter, Gauge, Info

from appeals_common.events import Classification

CLASSIFIED = Counter(
    "classifier_appeals_classified_total",
    "Texts classified",
    # topic_name: the Russian name, for the governors' dashboards (one per topic id).
    ["topic", "topic_name", "category", "is_appeal", "urgent"],
)
TRIAGE_SHARE = Gauge(
    "classifier_triage_share", "Share of the last 1,000 appeals sent to the ЦУР triage queue"
)
MODEL = Info("classifier_model", "The model in use (its version is in every classified event)")


class TriageWindow:
    """The triage share over the most recent appeals: what an operator sees in staffing."""

    def __init__(self, size: int = 1_000) -> None:
        self._recent: deque[bool] = deque(maxlen=size)

    def add(self, triaged: bool) -> float:
        self._recent.append(triaged)
        return sum(self._recent) / len(self._recent)


_WINDOW = TriageWindow()


def count(result: Classification) -> None:
    """Record one decision."""
    CLASSIFIED.labels(
        topic=result.topic,
        topic_name=result.topic_name,
        category=result.category,
        is_appeal=str(result.is_appeal).lower(),
        urgent=str(result.urgent).lower(),
    ).inc()
    if result.is_appeal:
        TRIAGE_SHARE.set(_WINDOW.add(result.topic == "other"))


def model_loaded(version: str) -> None:
    """Publish the loaded model's version on /metrics."""
    MODEL.info({"version": version})
