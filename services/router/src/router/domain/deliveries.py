"""An answer's delivery to where the appeal was written, as the router follows it.

pending ──delivered──▶ delivered
   │
   └──failed──▶ failed ──retry (a new round)──▶ pending
                  └──marked delivered another way──▶ manual

Reports of the delivery worker carry the round they belong to: a failure of an earlier round
(a retry has started since) changes nothing, while a reply posted in any round is on the
platform, so it counts; nothing overrides what an operator decided.
"""

from dataclasses import dataclass
from enum import StrEnum

from appeals_common.events import Platform


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    MANUAL = "manual"  # an operator says the resident got the answer another way


# The platforms answers are posted back to; the generic API (site forms, call centres) is
# answered by the source itself.
DELIVERED_TO = frozenset({Platform.VK, Platform.TELEGRAM, Platform.MAX, Platform.OK})


@dataclass(frozen=True)
class Delivery:
    state: DeliveryState
    round: int


def is_deliverable(platform: str, external_id: str | None) -> bool:
    """Whether an answer to this appeal is posted on its platform (appeals routed before the
    router kept the platform's object id cannot be)."""
    return external_id is not None and platform in DELIVERED_TO


def on_report(current: Delivery, *, delivered: bool, round_: int) -> DeliveryState | None:
    """The state after the worker's report, or None when the report changes nothing."""
    if current.state is DeliveryState.MANUAL:
        return None
    if delivered:
        return None if current.state is DeliveryState.DELIVERED else DeliveryState.DELIVERED
    if current.state is DeliveryState.PENDING and round_ == current.round:
        return DeliveryState.FAILED
    return None


class DeliveryRefused(ValueError):
    """The operator's command does not fit the delivery's state (the reason is in Russian)."""


def retry(current: Delivery) -> Delivery:
    """A new round after a failure."""
    if current.state is not DeliveryState.FAILED:
        raise DeliveryRefused("повторить можно только неудавшуюся доставку")
    return Delivery(DeliveryState.PENDING, current.round + 1)


def mark_manual(current: Delivery) -> Delivery:
    """The operator answered the resident another way (by phone, in the comments by hand)."""
    if current.state is not DeliveryState.FAILED:
        raise DeliveryRefused("отметить доставленным можно только неудавшуюся доставку")
    return Delivery(DeliveryState.MANUAL, current.round)
