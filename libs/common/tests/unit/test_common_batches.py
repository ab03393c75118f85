"""Finding the item at fault in a failing batch: the rest go through, in order, once each."""

from collections.abc import Sequence

from appeals_common.errors import DependencyUnavailable
from appeals_common.kafka.batches import BatchRunner


class Store:
    """A handler that commits a batch wholly or not at all, as one transaction would."""

    def __init__(self, poison: set[int] = frozenset(), outages: int = 0) -> None:  # type: ignore[assignment]
        self.poison, self.outages = poison, outages
        self.committed: list[int] = []
        self.calls = 0

    async def handle(self, items: Sequence[int]) -> None:
        self.calls += 1
        if self.outages:
            self.outages -= 1
            raise DependencyUnavailable("database down")
        if self.poison & set(items):
            raise ValueError("broken invariant")
        self.committed.extend(items)


def runner(store: Store, dead: list[tuple[int, str]], *, stop_after: int | None = None):  # type: ignore[no-untyped-def]
    waits: list[float] = []

    async def dead_letter(item: int, reason: str) -> None:
        dead.append((item, reason))

    async def wait(delay_s: float) -> bool:
        waits.append(delay_s)
        return stop_after is not None and len(waits) >= stop_after

    return BatchRunner(store.handle, dead_letter, wait, (DependencyUnavailable,), 3, 0.01)


async def test_a_clean_batch_is_one_call() -> None:
    store, dead = Store(), []
    assert await runner(store, dead).run(list(range(100))) == 100
    assert store.committed == list(range(100))
    assert store.calls == 1
    assert dead == []


async def test_the_item_at_fault_is_dead_lettered_and_the_others_go_through_in_order() -> None:
    store, dead = Store(poison={37, 80}), []
    assert await runner(store, dead).run(list(range(100))) == 100
    assert store.committed == [i for i in range(100) if i not in {37, 80}]
    assert [item for item, _ in dead] == [37, 80]
    assert "broken invariant" in dead[0][1]
    # Bisecting costs a few calls per poison, not one per item; each poison is tried 3 times.
    assert store.calls < 40


async def test_an_outage_retries_the_whole_batch_without_dead_letters() -> None:
    store, dead = Store(outages=6), []
    assert await runner(store, dead).run(list(range(10))) == 10
    assert store.committed == list(range(10))
    assert store.calls == 7
    assert dead == []


async def test_stopping_in_a_retry_reports_only_what_is_done() -> None:
    store, dead = Store(poison={5}), []
    done = await runner(store, dead, stop_after=1).run(list(range(8)))
    # 0..3 went through as the left half; 4..7 failed, then 4 and 5 split, 4 went through,
    # and the consumer stopped while 5 waited for its retry.
    assert done == 5
    assert store.committed == [0, 1, 2, 3, 4]
    assert dead == []
