"""The comment poller's loop, one in each ingest process: every round it makes sure each polled
page of the registry has a cursor row, leases the due ones (`FOR UPDATE SKIP LOCKED` in a short
transaction, so processes and replicas never poll a page twice at once), and polls them
concurrently; the API hosts' throttles keep the requests within their rate limits."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from ingest.adapters import poll_cursor_repository as cursors
from ingest.domain.pages import PageRegistry
from ingest.poll_page import PagePolling

log = logging.getLogger(__name__)

# Longer than any poll can take: the host throttle gives up past 30 s, a request after 10 s,
# and a page needs at most INGEST_POLL_POSTS + 1 requests. A crashed poller's pages wait this.
LEASE = timedelta(minutes=10)
PAGES_PER_ROUND = 20


@dataclass
class Poller:
    polling: PagePolling
    pages: Callable[[], PageRegistry]  # the current registry snapshot
    idle_s: float  # how long a round that found nothing due waits before the next
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    # The snapshot whose pages all have rows: a new snapshot (any registry change) is checked.
    _rows_for: PageRegistry | None = None

    async def poll_due(self) -> dict[str, str]:
        """One round: the outcome of each page polled (page id -> outcome)."""
        registry, now = self.pages(), self.polling.clock()
        polled = {page.id: page for page in registry if page.polled}
        async with self.polling.sessions() as session, session.begin():
            if registry is not self._rows_for:
                await cursors.ensure_rows(session, polled, now=now)
            claims = await cursors.claim_due(
                session, now=now, lease_until=now + LEASE, limit=PAGES_PER_ROUND
            )
        self._rows_for = registry
        # A page removed or stripped of its credentials since: its row waits, untouched.
        work = [(polled[c.page_id], c) for c in claims if c.page_id in polled]
        results = await asyncio.gather(
            *(self.polling.poll(page, c) for page, c in work), return_exceptions=True
        )
        return {page.id: _outcome(page.id, r) for (page, _), r in zip(work, results, strict=True)}

    async def run(self) -> None:
        """Poll rounds until stopped; a round with nothing due waits `idle_s`."""
        while not self._stopping.is_set():
            try:
                busy = bool(await self.poll_due())
            except (SQLAlchemyError, OSError) as exc:
                log.warning("comment poll round failed", extra={"error": type(exc).__name__})
                busy = False
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=self.idle_s)

    async def stop(self) -> None:
        self._stopping.set()


def _outcome(page_id: str, result: str | BaseException) -> str:
    if isinstance(result, BaseException):
        # Its lease runs out and another round retries it from the stored cursor.
        log.error("comment poll crashed", extra={"page": page_id}, exc_info=result)
        return "error"
    return result
