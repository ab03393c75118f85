"""A delivery's life, decided without I/O: pending → sending → delivered, or back to pending
after a retryable error, or failed (until an operator asks for another round).

`sending` is written and committed before the platform is called. A delivery found `sending`
with its lease run out was interrupted between the call and the record: a platform with an
idempotency key gets the same call again (it posts nothing twice); on the others the post
may be there already, so the delivery fails as `outcome_unknown` and waits for a person.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery.model import SendError

FIRST_BACKOFF = timedelta(seconds=2)
LONGEST_BACKOFF = timedelta(minutes=5)
# Retries of one round: with the back-off above, about twenty minutes of a platform's outage
# before a person is told; the rate limits' own waits count as tries too.
MAX_TRIES = 10


class State(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class Stored:
    """What the plan needs to know of a stored delivery."""

    state: State
    round: int
    tries: int


class Intake(StrEnum):
    """What to do with an answer request."""

    NEW = "new"  # store it as pending
    RETRY = "retry"  # an operator's new round for a failed delivery: pending again
    ANNOUNCE = "announce"  # already delivered: say so again (the asker may have missed it)
    IGNORE = "ignore"  # a redelivered request, or a round already under way


def on_request(stored: Stored | None, round_: int) -> Intake:
    if stored is None:
        return Intake.NEW
    if stored.state is State.DELIVERED:
        return Intake.ANNOUNCE if round_ > stored.round else Intake.IGNORE
    if stored.state is State.FAILED and round_ > stored.round:
        return Intake.RETRY
    return Intake.IGNORE


@dataclass(frozen=True)
class Retry:
    at: datetime


@dataclass(frozen=True)
class Fail:
    reason: DeliveryFailure
    detail: str


def on_interrupted(idempotent: bool) -> Fail | None:
    """A claimed delivery that was `sending`: send again (None) or give up to a person."""
    if idempotent:
        return None
    return Fail(
        DeliveryFailure.OUTCOME_UNKNOWN,
        "the worker stopped between the call and its record; the reply may be posted",
    )


def on_error(error: SendError, *, tries: int, idempotent: bool, now: datetime) -> Retry | Fail:
    """After a failed call (`tries` counts it): when to try again, or why to stop."""
    if error.maybe_posted and not idempotent:
        return Fail(DeliveryFailure.OUTCOME_UNKNOWN, error.detail)
    if not error.retryable:
        return Fail(error.reason, error.detail)
    if tries >= MAX_TRIES:
        return Fail(error.reason, f"gave up after {tries} tries: {error.detail}")
    return Retry(now + backoff(tries, error.retry_after_s))


def backoff(tries: int, retry_after_s: float | None = None) -> timedelta:
    """Doubling from FIRST_BACKOFF up to LONGEST_BACKOFF, or what the platform asked for."""
    if retry_after_s is not None:
        return min(timedelta(seconds=max(retry_after_s, 0.0)), LONGEST_BACKOFF * 12)
    doublings = min(max(tries - 1, 0), 16)  # past 16 it is LONGEST_BACKOFF anyway
    return min(FIRST_BACKOFF * (1 << doublings), LONGEST_BACKOFF)
