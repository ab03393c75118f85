"""The backlog per body, kept as counts that each change of a clock moves, so the gauges never
count the clocks table: a clock counts as open while an answer is due (routed, unanswered, not
withdrawn, not closed), and as overdue too once its breach has fired."""

from collections.abc import Mapping
from typing import Any

Delta = tuple[str, int, int]  # agency, open, overdue


def counted(clock: Mapping[str, Any] | None) -> Delta | None:
    """What a clock adds to its body's backlog: (agency, 1, 1 when breached), or nothing."""
    if clock is None or clock.get("deadline") is None or clock.get("agency_id") is None:
        return None
    if any(clock.get(k) is not None for k in ("answered_at", "withdrawn_at", "closed_at")):
        return None
    return clock["agency_id"], 1, 1 if clock.get("breached_at") is not None else 0


def change(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Delta]:
    """The deltas that take the backlog from a clock as it was to the clock as it is."""
    was, now = counted(before), counted(after)
    if was == now:
        return []
    deltas = [] if was is None else [(was[0], -was[1], -was[2])]
    return deltas + ([] if now is None else [now])
