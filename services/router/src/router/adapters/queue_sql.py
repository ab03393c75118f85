"""The queue listing: effective statuses as SQL, keyset pages, counts per status."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, not_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from router.adapters.orm import assignments as a
from router.domain.queues import DUE_SOON, NO_DEADLINE, STATUSES, Cursor, QueueFilter

_CLOSED = ("merged", "not_appeal")
_DUE_KEY = func.coalesce(a.c.due_at, NO_DEADLINE)


def status_is(status: str, now: datetime, me: str | None = None) -> ColumnElement[bool]:
    """Rows whose `lifecycle.effective_status` falls in the bucket (a QueueStatus, or "mine" and
    "unclaimed" among the open ones): the two must agree."""
    not_closed = a.c.status.not_in(_CLOSED)
    live_claim = (a.c.status == "claimed") & (a.c.holder_until > now)
    is_open = not_closed & a.c.answered_at.is_(None) & a.c.withdrawn_at.is_(None)
    buckets: dict[str, ColumnElement[bool]] = {
        "all": true(),
        "open": is_open,
        "claimed": is_open & live_claim,
        "answered": not_closed & a.c.answered_at.is_not(None),
        "withdrawn": not_closed & a.c.answered_at.is_(None) & a.c.withdrawn_at.is_not(None),
        "merged": a.c.status == "merged",
        "not_appeal": a.c.status == "not_appeal",
        "mine": is_open & live_claim & (a.c.holder_sub == me),
        "unclaimed": is_open & not_(live_claim),
    }
    return buckets[status]


def _scope(queue: QueueFilter) -> ColumnElement[bool]:
    """Everything but the status: what the counts are taken over."""
    conditions: list[ColumnElement[bool]] = []
    if queue.agencies is not None:
        conditions.append(a.c.agency_id.in_(sorted(queue.agencies)) if queue.agencies else false())
    if queue.topic is not None:
        conditions.append(a.c.topic == queue.topic)
    if queue.urgent is not None:
        conditions.append(a.c.urgent.is_(queue.urgent))
    if queue.platform is not None:
        conditions.append(a.c.platform == queue.platform)
    return and_(true(), *conditions)


def _due(queue: QueueFilter, now: datetime) -> ColumnElement[bool]:
    soon = now + DUE_SOON
    return {
        "any": true(),
        "overdue": a.c.due_at <= now,
        "due_soon": (a.c.due_at > now) & (a.c.due_at <= soon),
        "on_time": a.c.due_at > soon,
        "no_deadline": a.c.due_at.is_(None),
    }[queue.due]


async def list_page(
    session: AsyncSession,
    queue: QueueFilter,
    *,
    me: str,
    now: datetime,
    after: Cursor | None,
    limit: int,
) -> tuple[list[dict[str, Any]], Cursor | None]:
    """One page of the queue, soonest deadline first; the cursor of the next page, if any."""
    condition = _scope(queue) & status_is(queue.status, now) & _due(queue, now)
    if queue.claimed != "any":
        condition &= status_is("mine" if queue.claimed == "me" else "unclaimed", now, me)
    if after is not None:
        # One keyset in the listing's order (NOT urgent sorts urgent first, ascending).
        condition &= tuple_(_DUE_KEY, not_(a.c.urgent), a.c.written_at, a.c.appeal_id) > tuple_(
            after.due, not after.urgent, after.written_at, after.appeal_id
        )
    rows = [
        dict(r._mapping)
        for r in await session.execute(
            select(a)
            .where(condition)
            .order_by(_DUE_KEY, a.c.urgent.desc(), a.c.written_at, a.c.appeal_id)
            .limit(limit + 1)
        )
    ]
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    due = last["due_at"] or NO_DEADLINE
    return rows[:limit], Cursor(due, last["urgent"], last["written_at"], last["appeal_id"])


async def counts(
    session: AsyncSession, queue: QueueFilter, *, me: str, now: datetime
) -> dict[str, int]:
    """How many appeals each status bucket holds under the other filters, plus mine/unclaimed."""
    names = [*STATUSES, "mine", "unclaimed"]
    columns = [func.count().filter(status_is(n, now, me)).label(n) for n in names]
    row = (await session.execute(select(*columns).where(_scope(queue) & _due(queue, now)))).one()
    return {n: int(row._mapping[n]) for n in names}
