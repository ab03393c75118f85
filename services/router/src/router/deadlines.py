"""What the router hears from the SLA monitor: when an appeal's answer is due, when it was
breached, and each warning and escalation. The queues sort, filter and badge by them; the
SLA monitor stays their one source."""

from collections.abc import Sequence

from appeals_common.events import Envelope, SlaBreached, SlaDeadlineSet, SlaStepFired
from router.adapters import repository, routing_sql
from router.handlers import RouterDeps


async def handle_deadline_set(event: Envelope[SlaDeadlineSet], deps: RouterDeps) -> None:
    await handle_deadlines([event], deps)


async def handle_deadlines(events: Sequence[Envelope[SlaDeadlineSet]], deps: RouterDeps) -> None:
    """Keep the deadlines on the appeals, in one statement; a redelivery changes nothing."""
    deadlines = {e.payload.appeal_id: e.payload.deadline for e in reversed(events)}  # the first
    async with deps.sessions() as session, session.begin():
        await routing_sql.set_deadlines(session, deadlines)


async def handle_breached(event: Envelope[SlaBreached], deps: RouterDeps) -> None:
    """Mark the appeal as breached (its badge in the queue); the first breach time stays."""
    async with deps.sessions() as session, session.begin():
        await repository.mark_breached(session, event.payload.appeal_id, event.payload.detected_at)


async def handle_step_fired(event: Envelope[SlaStepFired], deps: RouterDeps) -> None:
    """Keep the latest warning, breach or escalation on the appeal (its badge in the queue)."""
    step = event.payload
    async with deps.sessions() as session, session.begin():
        await repository.mark_step(session, step.appeal_id, step.step, step.fired_at)
