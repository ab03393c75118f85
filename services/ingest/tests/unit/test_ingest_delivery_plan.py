"""The delivery's life without I/O: what a request, an interrupted call and an error lead to."""

from datetime import UTC, datetime, timedelta

import pytest

from appeals_common.events import DeliveryFailure
from ingest.domain.delivery import plan
from ingest.domain.delivery.model import SendError
from ingest.domain.delivery.plan import Fail, Intake, Retry, State, Stored

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _error(**kw: object) -> SendError:
    return SendError(DeliveryFailure.PLATFORM_ERROR, "HTTP 502", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stored", "round_", "expected"),
    [
        (None, 0, Intake.NEW),
        (Stored(State.PENDING, 0, 0), 0, Intake.IGNORE),  # the same request redelivered
        (Stored(State.SENDING, 0, 1), 0, Intake.IGNORE),
        (Stored(State.FAILED, 0, 3), 0, Intake.IGNORE),  # an old round must not restart it
        (Stored(State.FAILED, 0, 3), 1, Intake.RETRY),  # an operator's new round
        (Stored(State.FAILED, 2, 1), 1, Intake.IGNORE),
        (Stored(State.DELIVERED, 0, 1), 0, Intake.IGNORE),
        (Stored(State.DELIVERED, 0, 1), 1, Intake.ANNOUNCE),  # never posted twice
        (Stored(State.PENDING, 0, 2), 1, Intake.IGNORE),  # a round is already under way
    ],
)
def test_a_request_is_stored_once_and_restarts_only_a_failed_delivery(
    stored: Stored | None, round_: int, expected: Intake
) -> None:
    assert plan.on_request(stored, round_) is expected


def test_an_interrupted_call_is_repeated_only_where_the_platform_drops_repeats() -> None:
    assert plan.on_interrupted(idempotent=True) is None
    gave_up = plan.on_interrupted(idempotent=False)
    assert gave_up is not None and gave_up.reason is DeliveryFailure.OUTCOME_UNKNOWN


def test_a_call_that_may_have_posted_is_not_retried_without_an_idempotency_key() -> None:
    error = _error(retryable=True, maybe_posted=True)
    assert plan.on_error(error, tries=1, idempotent=False, now=NOW) == Fail(
        DeliveryFailure.OUTCOME_UNKNOWN, "HTTP 502"
    )
    assert isinstance(plan.on_error(error, tries=1, idempotent=True, now=NOW), Retry)


def test_retryable_errors_back_off_doubling_then_give_up() -> None:
    error = _error(retryable=True)
    waits = [plan.on_error(error, tries=t, idempotent=False, now=NOW) for t in (1, 2, 3)]
    assert waits == [
        Retry(NOW + timedelta(seconds=2)),
        Retry(NOW + timedelta(seconds=4)),
        Retry(NOW + timedelta(seconds=8)),
    ]
    assert plan.backoff(30) == plan.LONGEST_BACKOFF
    last = plan.on_error(error, tries=plan.MAX_TRIES, idempotent=False, now=NOW)
    assert isinstance(last, Fail) and last.reason is DeliveryFailure.PLATFORM_ERROR
    assert "gave up after" in last.detail


def test_the_platforms_retry_after_is_honoured() -> None:
    error = SendError(DeliveryFailure.RATE_LIMITED, "429", retryable=True, retry_after_s=17)
    assert plan.on_error(error, tries=1, idempotent=False, now=NOW) == Retry(
        NOW + timedelta(seconds=17)
    )


def test_a_permanent_error_fails_at_once_with_its_reason() -> None:
    error = SendError(DeliveryFailure.BLOCKED_BY_USER, "VK error 901")
    assert plan.on_error(error, tries=1, idempotent=True, now=NOW) == Fail(
        DeliveryFailure.BLOCKED_BY_USER, "VK error 901"
    )
