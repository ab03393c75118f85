"""Running a handler over a batch, and finding the item at fault when the batch fails.

A batch handler does all its items in one transaction, so a batch that fails leaves nothing
behind. The batch is then split in halves and each half run again, in order, until the item
at fault stands alone: it is retried like a single event and dead-lettered when it keeps
failing, and every other item goes through. Splitting keeps each key's order, since the
halves run one after the other. A dependency outage is nobody's fault: the whole batch waits
and runs again.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class BatchRunner(Generic[T]):
    """Runs `handler` over items until each is handled or dead-lettered.

    `wait` sleeps for a backoff and returns True when the consumer is stopping meanwhile;
    `dead_letter` takes an item with the reason it could not be handled.
    """

    handler: Callable[[Sequence[T]], Awaitable[None]]
    dead_letter: Callable[[T, str], Awaitable[None]]
    wait: Callable[[float], Awaitable[bool]]
    transient: tuple[type[BaseException], ...]
    max_attempts: int = 5
    backoff_s: float = 0.2

    async def run(self, items: Sequence[T]) -> int:
        """How many items, from the first, are done (handled or dead-lettered): all of them
        unless the consumer began to stop while a batch waited for a retry."""
        attempt = 0
        while True:
            attempt += 1
            try:
                await self.handler(items)
                return len(items)
            except self.transient as exc:
                log.warning("dependency unavailable, retrying", extra={"error": str(exc)})
                if await self.wait(min(self.backoff_s * 2**attempt, 5.0)):
                    return 0
            except Exception as exc:
                log.exception("handler failed", extra={"items": len(items), "attempt": attempt})
                if len(items) > 1:
                    return await self._split(items)
                if attempt >= self.max_attempts:
                    await self.dead_letter(items[0], f"handler failed: {exc!r}")
                    return 1
                if await self.wait(self.backoff_s * attempt):
                    return 0

    async def _split(self, items: Sequence[T]) -> int:
        middle = len(items) // 2
        done = await self.run(items[:middle])
        if done < middle:
            return done
        return middle + await self.run(items[middle:])
