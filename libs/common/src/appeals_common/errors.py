"""Errors shared by the services.

AppealsError
├── PoisonEvent          an event that can never be processed: goes to the dead-letter topic
└── DependencyUnavailable Kafka or PostgreSQL did not answer: retry later, never drop
"""


class AppealsError(Exception):
    """Base class of the platform's own errors."""


class PoisonEvent(AppealsError):
    """An event that fails validation or breaks a handler's invariants."""


class DependencyUnavailable(AppealsError):
    """A dependency (broker, database) is down; the caller should retry later."""
