"""Every Kafka topic the platform uses, in one place, with its partition count."""

from dataclasses import dataclass

APPEALS_RECEIVED = "appeals.received.v1"
APPEALS_CLASSIFIED = "appeals.classified.v1"
APPEALS_ROUTED = "appeals.routed.v1"
APPEALS_ANSWERED = "appeals.answered.v1"
APPEALS_WITHDRAWN = "appeals.withdrawn.v1"
APPEALS_CLOSED = "appeals.closed.v1"
APPEALS_PAUSES = "appeals.pauses.v1"
CLASSIFICATION_CORRECTIONS = "classification.corrections.v1"
SLA_BREACHES = "sla.breaches.v1"
SLA_DEADLINES = "sla.deadlines.v1"
SLA_STEPS = "sla.steps.v1"
DIRECTORY_VERSIONS = "directory.versions.v1"
ANSWERS_REQUESTED = "answers.requested.v1"
ANSWERS_DELIVERED = "answers.delivered.v1"
ANSWERS_FAILED = "answers.failed.v1"
DEAD_LETTER = "appeals.deadletter.v1"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    retention_ms: int = 7 * 24 * 3600 * 1000
    compacted: bool = False  # keeps the newest record of each key, however old

    @property
    def configs(self) -> dict[str, str]:
        if self.compacted:
            return {"cleanup.policy": "compact"}
        return {"retention.ms": str(self.retention_ms)}


# Appeal topics are keyed by appeal id, so more partitions means more parallel consumers.
TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(APPEALS_RECEIVED, 6),
    TopicSpec(APPEALS_CLASSIFIED, 6),
    TopicSpec(APPEALS_ROUTED, 6),
    TopicSpec(APPEALS_ANSWERED, 6),
    TopicSpec(APPEALS_WITHDRAWN, 6),
    TopicSpec(APPEALS_CLOSED, 6),
    TopicSpec(APPEALS_PAUSES, 6),
    # Operators' corrections, for the classifier to keep as training labels; a month gives it
    # time to catch up after an outage.
    TopicSpec(CLASSIFICATION_CORRECTIONS, 3, retention_ms=30 * 24 * 3600 * 1000),
    TopicSpec(SLA_BREACHES, 3),
    # Keyed by appeal id, like the appeal topics, so a deadline follows its appeal in order.
    TopicSpec(SLA_DEADLINES, 6),
    # Warnings, breaches and escalations, keyed by appeal id: the notifier and the queues.
    TopicSpec(SLA_STEPS, 6),
    # The directory version routing uses, for the SLA monitor: one key, the newest kept.
    TopicSpec(DIRECTORY_VERSIONS, 1, compacted=True),
    # Answers on their way to the platforms and back, keyed by appeal id like the rest.
    TopicSpec(ANSWERS_REQUESTED, 6),
    TopicSpec(ANSWERS_DELIVERED, 6),
    TopicSpec(ANSWERS_FAILED, 6),
    TopicSpec(DEAD_LETTER, 1, retention_ms=30 * 24 * 3600 * 1000),
)
