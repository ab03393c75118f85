"""Long-lived loops of a service (consumers, relays, scanners), run inside its lifespan."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from appeals_common.errors import DependencyUnavailable

log = logging.getLogger(__name__)


@dataclass
class _Loop:
    name: str
    task: asyncio.Task[None]
    stop: Callable[[], Awaitable[None]]


class Loops:
    """Starts loops as tasks, reports a dead one to readiness, stops them in reverse order."""

    def __init__(self) -> None:
        self._loops: list[_Loop] = []

    def start(
        self, name: str, run: Callable[[], Awaitable[None]], stop: Callable[[], Awaitable[None]]
    ) -> None:
        async def guarded() -> None:
            try:
                await run()
            except Exception:
                log.exception("loop crashed", extra={"loop": name})
                raise

        self._loops.append(_Loop(name, asyncio.create_task(guarded(), name=name), stop))

    async def check(self) -> None:
        """Readiness: every loop is still running."""
        dead = [loop.name for loop in self._loops if loop.task.done()]
        if dead:
            raise DependencyUnavailable(f"stopped loops: {', '.join(dead)}")

    async def stop_all(self, timeout_s: float = 20.0) -> None:
        """Ask each loop to finish what it holds; cancel what does not finish in time."""
        for loop in reversed(self._loops):
            await loop.stop()
            try:
                await asyncio.wait_for(asyncio.shield(loop.task), timeout=timeout_s)
            except TimeoutError:
                loop.task.cancel()
            except Exception:  # already logged by guarded()
                pass
        self._loops.clear()


class Periodic:
    """Runs `work` every `every` seconds until stopped. The errors in `tolerated` (the
    database away) are logged and the next round tries again; others end the loop, which
    readiness then reports."""

    def __init__(
        self,
        work: Callable[[], Awaitable[object]],
        every: float,
        what: str,
        tolerated: tuple[type[BaseException], ...],
    ) -> None:
        self._work, self._every, self._what, self._tolerated = work, every, what, tolerated
        self._stopped = asyncio.Event()

    async def run(self) -> None:
        while not self._stopped.is_set():
            try:
                await asyncio.wait_for(self._stopped.wait(), timeout=self._every)
            except TimeoutError:
                try:
                    await self._work()
                except self._tolerated as exc:
                    log.warning("%s failed; trying again later: %s", self._what, exc)

    async def stop(self) -> None:
        self._stopped.set()
