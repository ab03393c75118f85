"""The delivery loop: claims due deliveries under a lease (`FOR UPDATE SKIP LOCKED`, so
replicas never post one answer twice at once), posts each part with the page's token, records
each part before the next, and announces the outcome through the outbox.

The claim itself commits the delivery as `sending` before any call: a worker killed between
the call and its record leaves a trace that the next claim reads (domain/delivery/plan.py).
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import enqueue
from appeals_common.events import AppealKind, DeliveryFailure, Platform
from appeals_common.topics import ANSWERS_DELIVERED, ANSWERS_FAILED
from ingest.adapters import delivery_repository as repository
from ingest.adapters.delivery_orm import outbox
from ingest.delivery import metrics
from ingest.delivery.ports import Sender
from ingest.domain.delivery import announce, plan
from ingest.domain.delivery.model import Outgoing, SendError
from ingest.domain.delivery.split import TooLong, split_text
from ingest.domain.normalise import response_id
from ingest.domain.pages import PageRegistry

log = logging.getLogger(__name__)
Row = repository.Row


@dataclass
class DeliveryWorker:
    sessions: async_sessionmaker[AsyncSession]
    senders: Mapping[Platform, Sender]
    pages: Callable[[], PageRegistry]  # the current registry snapshot
    clock: Callable[[], datetime]
    published: Callable[[], None]  # wakes the outbox relay
    lease: timedelta = timedelta(seconds=60)
    batch: int = 20
    idle_s: float = 1.0
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def wake(self) -> None:
        """A new request was stored: look for due work now."""
        self._wake.set()

    async def deliver_due(self) -> int:
        """One round: claim the due deliveries and work them concurrently; how many."""
        now = self.clock()
        async with self.sessions() as session, session.begin():
            claimed = await repository.claim_due(
                session, now=now, lease_until=now + self.lease, limit=self.batch
            )
        results = await asyncio.gather(
            *(self.deliver(row) for row in claimed), return_exceptions=True
        )
        for row, result in zip(claimed, results, strict=True):
            if isinstance(result, BaseException):  # its lease runs out and a later round retries
                log.error(
                    "delivery crashed",
                    extra={"delivery": str(row["delivery_id"])},
                    exc_info=result,
                )
        return len(claimed)

    async def deliver(self, row: Row) -> None:
        """Post what is left of one claimed delivery, and record how it went."""
        platform = Platform(row["platform"])
        sender = self.senders.get(platform)
        if sender is None:
            return await self._fail(row, DeliveryFailure.UNSUPPORTED, f"no sender for {platform}")
        if row["state"] == plan.State.SENDING and (
            gave_up := plan.on_interrupted(sender.idempotent)
        ):
            return await self._fail(row, gave_up.reason, gave_up.detail)
        page = self.pages().get(row["page_id"])
        if page is None:
            return await self._fail(row, DeliveryFailure.UNKNOWN_PAGE, "page not in the registry")
        try:
            parts = split_text(row["text"], sender.limit)
        except TooLong as exc:
            return await self._fail(row, DeliveryFailure.TOO_LONG, str(exc))
        for number in range(row["parts_done"], len(parts)):
            outgoing = Outgoing(
                delivery_id=row["delivery_id"],
                platform=platform,
                kind=AppealKind(row["kind"]),
                external_id=row["external_id"],
                author_id=row["author_id"],
                text=parts[number],
            )
            try:
                posted = await sender.send(page, outgoing, f"{row['delivery_id']}:{number}")
            except SendError as error:
                return await self._after_error(row, error, sender.idempotent)
            now = self.clock()
            async with self.sessions() as session, session.begin():
                kept = await repository.record_part(
                    session,
                    row,
                    part=number,
                    parts_total=len(parts),
                    reply_id=posted.reply_id,
                    reply_url=posted.reply_url,
                    echo_id=response_id(platform, page.external_id, posted.reply_id),
                    now=now,
                )
            if not kept:
                return _lost_lease(row)
            if number == 0:
                row = {**row, "reply_id": posted.reply_id, "reply_url": posted.reply_url}
        await self._delivered({**row, "parts_total": len(parts)})

    async def _delivered(self, row: Row) -> None:
        now = self.clock()
        async with self.sessions() as session, session.begin():
            if not await repository.finish(session, row, plan.State.DELIVERED, now):
                return _lost_lease(row)
            await enqueue(
                session,
                outbox,
                ANSWERS_DELIVERED,
                announce.delivered(row, now),
                key=str(row["appeal_id"]),
            )
        self.published()
        metrics.DELIVERIES.labels(platform=row["platform"], outcome="delivered").inc()
        metrics.DELIVERY_SECONDS.labels(platform=row["platform"]).observe(
            max((now - row["requested_at"]).total_seconds(), 0.0)
        )

    async def _after_error(self, row: Row, error: SendError, idempotent: bool) -> None:
        metrics.CALL_ERRORS.labels(platform=row["platform"], reason=error.reason.value).inc()
        now = self.clock()
        decision = plan.on_error(error, tries=row["tries"], idempotent=idempotent, now=now)
        if isinstance(decision, plan.Fail):
            return await self._fail(row, decision.reason, decision.detail)
        async with self.sessions() as session, session.begin():
            kept = await repository.finish(
                session,
                row,
                plan.State.PENDING,
                now,
                next_try_at=decision.at,
                reason=error.reason.value,
                detail=error.detail,
            )
        if not kept:
            return _lost_lease(row)
        metrics.DELIVERIES.labels(platform=row["platform"], outcome="retried").inc()

    async def _fail(self, row: Row, reason: DeliveryFailure, detail: str) -> None:
        now = self.clock()
        async with self.sessions() as session, session.begin():
            kept = await repository.finish(
                session, row, plan.State.FAILED, now, reason=reason.value, detail=detail
            )
            if not kept:
                return _lost_lease(row)
            event = announce.failed(row, reason, detail, now)
            await enqueue(session, outbox, ANSWERS_FAILED, event, key=str(row["appeal_id"]))
        self.published()
        metrics.DELIVERIES.labels(platform=row["platform"], outcome="failed").inc()
        metrics.FAILURES.labels(platform=row["platform"], reason=reason.value).inc()
        log.warning(
            "answer delivery failed",
            extra={
                "delivery": str(row["delivery_id"]),
                "platform": row["platform"],
                "reason": reason.value,
            },
        )

    async def run(self) -> None:
        """Rounds until stopped; a round that found nothing waits `idle_s` or a wake-up."""
        while not self._stopping.is_set():
            try:
                busy = await self.deliver_due() > 0
            except (SQLAlchemyError, OSError) as exc:
                log.warning("delivery round failed", extra={"error": type(exc).__name__})
                busy = False
            if not busy:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.idle_s)

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()


def _lost_lease(row: Row) -> None:
    # Another worker took the delivery over after our lease ran out; it carries on from the
    # parts recorded, so we only stop.
    log.warning("delivery lease lost", extra={"delivery": str(row["delivery_id"])})
