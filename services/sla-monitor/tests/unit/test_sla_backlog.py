"""The backlog's deltas: what each change of a clock moves in its body's open and overdue
counts (so the gauges never count the clocks)."""

from datetime import UTC, datetime

import pytest

from sla_monitor.domain.backlog import change, counted

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
OPEN = {"agency_id": "a", "deadline": NOW, "answered_at": None, "withdrawn_at": None,
        "closed_at": None, "breached_at": None}  # fmt: skip


@pytest.mark.parametrize(
    ("before", "after", "deltas"),
    [
        (None, OPEN, [("a", 1, 0)]),  # routed
        (OPEN, {**OPEN, "breached_at": NOW}, [("a", 0, 1)]),  # breached: one more overdue
        ({**OPEN, "breached_at": NOW}, {**OPEN, "breached_at": NOW, "answered_at": NOW},
         [("a", -1, -1)]),  # a late answer
        (OPEN, {**OPEN, "withdrawn_at": NOW}, [("a", -1, 0)]),  # deleted by its author
        (OPEN, {**OPEN, "agency_id": "b"}, [("a", -1, 0), ("b", 1, 0)]),  # reassigned
        ({**OPEN, "withdrawn_at": NOW}, {**OPEN, "agency_id": "b"}, [("b", 1, 0)]),  # restored
        (OPEN, OPEN, []),  # a repeat
        (None, {**OPEN, "deadline": None}, []),  # answered before it was routed
    ],
)  # fmt: skip
def test_each_change_moves_the_counts_by_what_it_changed(
    before: dict[str, object] | None, after: dict[str, object], deltas: list[tuple[str, int, int]]
) -> None:
    moved = change(before, after)

    assert moved == deltas or _net(moved) == _net(deltas)


def test_a_clock_counts_once_open_and_once_overdue_when_breached() -> None:
    assert counted(OPEN) == ("a", 1, 0)
    assert counted({**OPEN, "breached_at": NOW}) == ("a", 1, 1)
    assert counted({**OPEN, "closed_at": NOW}) is None


def _net(deltas: list[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    net: dict[str, tuple[int, int]] = {}
    for agency, open_, overdue in deltas:
        o, d = net.get(agency, (0, 0))
        net[agency] = (o + open_, d + overdue)
    return {a: v for a, v in net.items() if v != (0, 0)}
