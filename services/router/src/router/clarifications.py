"""The resident's answer to a wait: their next message in the same thread ends it.

While a body waits for the resident («ждём уточнения от заявителя», status paused), a new
message from the same author on the same page that continues the thread is their answer, not
a new appeal: a reply to the appeal itself or to the body's reply under it, or, in private
messages, the next message of the dialogue. It goes on the waiting appeal's card as a note,
the wait ends (the SLA clock runs on) and nothing new is routed. Anything else the resident
writes is a new appeal as usual. A redelivered message finds its note and does nothing.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from appeals_common.db import enqueue
from appeals_common.events import AppealClassified, AppealKind, AppealReceived, Envelope
from appeals_common.topics import APPEALS_PAUSES
from router.adapters.orm import assignments, audit_log, deliveries, notes, outbox
from router.domain.lifecycle import Status, resumed
from router.handlers import RouterDeps, route_batch
from router.outcomes import appeal_state, pause_event

RESIDENT = "resident"


async def take_clarification(event: Envelope[AppealClassified], deps: RouterDeps) -> bool:
    """True when the message answered a wait (now or at an earlier delivery)."""
    appeal = event.payload.appeal
    note_id = _note_id(appeal)
    reply_to = appeal.thread.reply_to_id if appeal.thread else None
    private = appeal.kind is AppealKind.PRIVATE_MESSAGE
    if reply_to is None and not private:
        return False
    async with deps.sessions() as session, session.begin():
        if await session.scalar(select(notes.c.note_id).where(notes.c.note_id == note_id)):
            return True  # taken at an earlier delivery
        continues = [assignments.c.external_id == reply_to, exists().where(
            deliveries.c.appeal_id == assignments.c.appeal_id, deliveries.c.reply_id == reply_to
        )] if reply_to else []  # fmt: skip
        if private:
            continues.append(assignments.c.kind == AppealKind.PRIVATE_MESSAGE.value)
        waiting = (
            await session.execute(
                select(assignments)
                .where(
                    assignments.c.status == Status.PAUSED.value,
                    assignments.c.page_id == appeal.page_id,
                    assignments.c.author_platform_id == appeal.author.platform_id,
                    or_(*continues),
                )
                .order_by(assignments.c.written_at.desc())
                .limit(1)
                .with_for_update()
            )
        ).first()
        if waiting is None:
            return False
        row, now = dict(waiting._mapping), datetime.now(UTC)
        after = resumed(appeal_state(row, now), now)
        holder = after.holder
        changed = {
            "status": after.status.value, "version": row["version"] + 1,
            "holder_sub": holder.subject if holder else None,
            "holder_name": holder.name if holder else None,
            "holder_until": holder.until if holder else None,
        }  # fmt: skip
        await session.execute(
            update(assignments).where(assignments.c.appeal_id == row["appeal_id"]).values(changed)
        )
        await session.execute(insert(notes).values(
            note_id=note_id, appeal_id=row["appeal_id"], author_sub=RESIDENT,
            author_name="Заявитель", text=f"Уточнение от заявителя: {appeal.text}", created_at=now,
        ))  # fmt: skip
        await session.execute(insert(audit_log).values(
            appeal_id=row["appeal_id"], at=now, actor_sub=RESIDENT, actor_name="Заявитель",
            action="resume", from_status=Status.PAUSED.value, to_status=after.status.value,
            from_agency=row["agency_id"], to_agency=row["agency_id"], version=changed["version"],
        ))  # fmt: skip
        change = pause_event({**row, **changed}, paused=False, at=now, by_resident=True)
        await enqueue(session, outbox, APPEALS_PAUSES, change, key=str(row["appeal_id"]))
    deps.relay.wake()
    return True


def _may_continue(event: Envelope[AppealClassified]) -> bool:
    appeal = event.payload.appeal
    return (appeal.thread is not None and appeal.thread.reply_to_id is not None) or (
        appeal.kind is AppealKind.PRIVATE_MESSAGE
    )


async def _possible_answers(
    events: Sequence[Envelope[AppealClassified]], deps: RouterDeps
) -> list[Envelope[AppealClassified]]:
    """The messages that may answer a wait: from an author with an appeal waiting on their
    page, or taken as an answer before. One look for the batch (most have neither)."""
    candidates = [e for e in events if _may_continue(e)]
    if not candidates:
        return []
    appeals = [e.payload.appeal for e in candidates]
    async with deps.sessions() as session:
        rows = await session.execute(
            select(assignments.c.page_id, assignments.c.author_platform_id).where(
                assignments.c.status == Status.PAUSED.value,
                assignments.c.page_id.in_({a.page_id for a in appeals}),
                assignments.c.author_platform_id.in_({a.author.platform_id for a in appeals}),
            )
        )
        waiting = {(page, author) for page, author in rows}
        taken = set(
            await session.scalars(
                select(notes.c.note_id).where(notes.c.note_id.in_([_note_id(a) for a in appeals]))
            )
        )
    return [
        e
        for e, a in zip(candidates, appeals, strict=True)
        if (a.page_id, a.author.platform_id) in waiting or _note_id(a) in taken
    ]


def _note_id(appeal: AppealReceived) -> uuid.UUID:
    return uuid.uuid5(appeal.appeal_id, "clarification")


async def handle_classified(event: Envelope[AppealClassified], deps: RouterDeps) -> None:
    await handle_classified_batch([event], deps)


async def handle_classified_batch(
    events: Sequence[Envelope[AppealClassified]], deps: RouterDeps
) -> None:
    """Classified messages: each the answer to a wait, or else an appeal to route. The
    answers are taken one by one (each in its own transaction, found again when the batch is
    retried); the rest are routed together."""
    answers = set()
    for event in await _possible_answers(events, deps):
        if await take_clarification(event, deps):
            answers.add(event.id)
    await route_batch([e for e in events if e.id not in answers], deps)
