"""The classifier's own metrics."""

from prometheus_client import Counter, Info

from classifier.domain.classify import RULES_VERSION

CLASSIFIED = Counter(
    "classifier_appeals_classified_total", "Appeals classified", ["topic", "is_appeal", "urgent"]
)
MODEL = Info("classifier_model", "The model or rule set in use")
MODEL.info({"version": RULES_VERSION})
