"""Polling one claimed page: fetch its recent posts' comments, decide what is new, publish it,
and only once Kafka acknowledged every event advance its cursor (at-least-once: a crash before
that polls the same comments again, and their deterministic ids make the repeat harmless)."""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.errors import DependencyUnavailable
from appeals_common.events import Platform
from appeals_common.kafka import Publisher
from ingest import metrics
from ingest.adapters import poll_cursor_repository as cursors
from ingest.adapters.poll_errors import PollFailed
from ingest.domain import emit
from ingest.domain.pages import Page
from ingest.domain.polling import schedule
from ingest.domain.polling.cursor import Cursor
from ingest.domain.polling.decide import decide
from ingest.domain.polling.fetched import Fetched
from ingest.handlers import OwnReplies, is_own_reply, publish

log = logging.getLogger(__name__)

# The object key prefix of each platform's comments (docs/ingest.md, the id table).
PREFIXES = {Platform.OK: "topic", Platform.MAX: "post"}


class Fetcher(Protocol):
    async def fetch(self, page: Page, posts: int) -> Fetched: ...


@dataclass
class PagePolling:
    """What polling a page needs; `clock` gives aware UTC datetimes."""

    sessions: async_sessionmaker[AsyncSession]
    fetchers: Mapping[Platform, Fetcher]
    publisher: Publisher
    salt: str
    interval: timedelta
    posts: int
    clock: Callable[[], datetime]
    own_replies: OwnReplies | None = None

    async def poll(self, page: Page, claim: cursors.Claim) -> str:
        """Poll and store the outcome: ok, failed, rate_limited or lease_lost."""
        try:
            fetched = await self.fetchers[page.platform].fetch(page, self.posts)
            source = emit.Source(page, page.platform, self.salt, self.clock())
            decision = decide(
                fetched,
                Cursor.from_json(claim.cursor),
                source,
                prefix=PREFIXES[page.platform],
                keep_posts=self.posts,
            )
            for event in decision.emits:  # in order: an appeal before the page's answer to it
                if not await is_own_reply(event, self.own_replies):
                    await publish(event, self.publisher)
        except (PollFailed, DependencyUnavailable) as exc:
            return await self._failed(page, claim, exc)
        now = self.clock()
        async with self.sessions() as session, session.begin():
            kept = await cursors.advance(
                session,
                claim,
                cursor=decision.cursor.to_json(),
                next_at=schedule.after_success(now, self.interval),
                now=now,
            )
        return self._counted(page, "ok" if kept else "lease_lost")

    async def _failed(
        self, page: Page, claim: cursors.Claim, exc: PollFailed | DependencyUnavailable
    ) -> str:
        retry_after = getattr(exc, "retry_after_s", None)
        failures = claim.failures + 1
        next_at = schedule.after_failure(
            self.clock(),
            self.interval,
            failures,
            timedelta(seconds=retry_after) if retry_after else None,
        )
        async with self.sessions() as session, session.begin():
            await cursors.record_failure(session, claim, next_at=next_at)
        outcome = "rate_limited" if retry_after else "failed"
        # The reason names a host and a status, never a URL or a parameter (they hold tokens).
        log.warning(
            "comment poll failed",
            extra={
                "page": page.id,
                "failures": failures,
                "reason": str(exc),
                "retry_at": str(next_at),
            },
        )
        return self._counted(page, outcome)

    def _counted(self, page: Page, outcome: str) -> str:
        metrics.POLLS.labels(platform=str(page.platform), outcome=outcome).inc()
        return outcome
