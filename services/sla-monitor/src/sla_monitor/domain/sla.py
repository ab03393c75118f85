"""Where an appeal's clock stands: open, overdue, answered in time or late, or no longer due.

The targets and how they are counted are the policies' (domain.policy, domain.steps).
"""

from datetime import datetime
from enum import StrEnum


class SlaState(StrEnum):
    OPEN = "open"  # not answered, deadline ahead
    OVERDUE = "overdue"  # not answered, deadline passed
    ANSWERED_IN_TIME = "answered_in_time"
    ANSWERED_LATE = "answered_late"
    UNROUTED = "unrouted"  # answered on the platform before it was routed, no deadline yet
    WITHDRAWN = "withdrawn"  # deleted on the platform before it was answered: no answer is due
    CLOSED = "closed"  # an operator merged it into another appeal or found it is not one


def state_of(
    deadline: datetime | None,
    answered_at: datetime | None,
    now: datetime,
    withdrawn_at: datetime | None = None,
    closed_at: datetime | None = None,
) -> SlaState:
    """Where an appeal's clock stands; an answer counts even if the appeal was deleted later."""
    if answered_at is not None and deadline is not None:
        return SlaState.ANSWERED_IN_TIME if answered_at <= deadline else SlaState.ANSWERED_LATE
    if closed_at is not None:
        return SlaState.CLOSED
    if withdrawn_at is not None:
        return SlaState.WITHDRAWN
    if deadline is None:
        return SlaState.UNROUTED
    return SlaState.OVERDUE if now > deadline else SlaState.OPEN
