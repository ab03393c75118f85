"""Which queue an assignment is in: open, answered or withdrawn."""

from datetime import datetime
from typing import Literal

QueueStatus = Literal["open", "answered", "withdrawn"]


def status_of(answered_at: datetime | None, withdrawn_at: datetime | None) -> QueueStatus:
    """Answered wins over withdrawn: an appeal answered and then deleted was still answered."""
    if answered_at is not None:
        return "answered"
    return "withdrawn" if withdrawn_at is not None else "open"
