"""Operators' corrections as training examples.

The router publishes `classification.corrected` when an operator moves an appeal; when the
topic changed to a rubricator topic, that is a label a person gave, in the training format.
The urgency is left unknown (null): the operator corrected the topic, not the urgency, and
the urgency model must not learn "not urgent" from silence. A correction that keeps the topic
(only the agency changed) or ends in triage teaches nothing about topics and is skipped.
"""

from typing import Any

from appeals_common.events import ClassificationCorrected
from classifier.domain.rubricator import TOPICS

_TOPIC_IDS = frozenset(t.id for t in TOPICS)


def as_training_line(correction: ClassificationCorrected) -> dict[str, Any] | None:
    """The training line a correction gives, or None when it gives no topic label."""
    if (
        correction.topic_after not in _TOPIC_IDS
        or correction.topic_after == correction.topic_before
    ):
        return None
    return {
        "text": correction.text,
        "topic": correction.topic_after,
        "category": "appeal",
        "urgent": None,
        "appeal_id": str(correction.appeal_id),
        "topic_before": correction.topic_before,
        "corrected_at": correction.corrected_at.isoformat(),
    }


def merge_lines(
    existing: list[dict[str, Any]], new: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], int]:
    """Existing lines updated by new ones, one per appeal (the latest correction wins), in
    first-seen order; and how many lines were added or changed."""
    merged: dict[str, dict[str, Any]] = {}
    for line in existing:
        merged[str(line.get("appeal_id") or line["text"])] = line
    changed = 0
    for line in new:
        key = str(line["appeal_id"])
        current = merged.get(key)
        if current is None or str(current.get("corrected_at", "")) <= line["corrected_at"]:
            changed += current != line
            merged[key] = line
    return list(merged.values()), changed
