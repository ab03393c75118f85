"""An answer's delivery as the router follows it: reports by round, operators' decisions."""

import pytest

from router.domain.deliveries import (
    Delivery,
    DeliveryRefused,
    DeliveryState,
    is_deliverable,
    mark_manual,
    on_report,
    retry,
)

PENDING, DELIVERED = DeliveryState.PENDING, DeliveryState.DELIVERED
FAILED, MANUAL = DeliveryState.FAILED, DeliveryState.MANUAL


@pytest.mark.parametrize(
    ("current", "delivered", "round_", "expected"),
    [
        (Delivery(PENDING, 0), True, 0, DELIVERED),
        (Delivery(PENDING, 0), False, 0, FAILED),
        (Delivery(DELIVERED, 0), True, 0, None),  # a redelivered report
        (Delivery(DELIVERED, 0), False, 0, None),  # a failure never undoes a delivery
        (Delivery(PENDING, 1), False, 0, None),  # the old round's failure, after a retry
        (Delivery(PENDING, 1), True, 0, DELIVERED),  # the old round did post after all
        (Delivery(FAILED, 0), True, 0, DELIVERED),  # found by a later try of the same round
        (Delivery(MANUAL, 0), True, 0, None),  # an operator's decision stands
        (Delivery(MANUAL, 0), False, 1, None),
    ],
)
def test_reports_move_a_delivery_only_forward(
    current: Delivery, delivered: bool, round_: int, expected: DeliveryState | None
) -> None:
    assert on_report(current, delivered=delivered, round_=round_) is expected


def test_only_a_failed_delivery_is_retried_or_marked() -> None:
    assert retry(Delivery(FAILED, 2)) == Delivery(PENDING, 3)
    assert mark_manual(Delivery(FAILED, 2)) == Delivery(MANUAL, 2)
    for state in (PENDING, DELIVERED, MANUAL):
        with pytest.raises(DeliveryRefused):
            retry(Delivery(state, 0))
        with pytest.raises(DeliveryRefused):
            mark_manual(Delivery(state, 0))


def test_answers_go_back_to_the_social_platforms_only() -> None:
    assert is_deliverable("vk", "wall-1_2/3")
    assert is_deliverable("telegram", "chat-100/5")
    assert not is_deliverable("api", "form-17")  # the source answers itself
    assert not is_deliverable("vk", None)  # routed before the router kept object ids
