"""Waits for the resident: while the body waits («ждём уточнения от заявителя») the clock
stops and no step fires; when the wait ends every step still ahead moves by the time it
lasted, counted the policy's way (a weekend does not count under working hours). Each pause
is kept with who, why and how long in the router's audit log; here only what the clock
needs. A repeated or out-of-date event changes nothing."""

import uuid

from appeals_common.events import AppealPauseChanged, Envelope
from sla_monitor.adapters import repository, steps_sql
from sla_monitor.domain.steps import Clock, Target
from sla_monitor.handlers import SlaDeps, announce_deadline, breach_of


async def handle_pause_changed(event: Envelope[AppealPauseChanged], deps: SlaDeps) -> None:
    change, setup = event.payload, deps.setup
    async with deps.sessions() as session, session.begin():
        row = await repository.get_clock(session, change.appeal_id, lock=True)
        if row is None or row["policy_id"] is None or _over(row):
            return
        if change.paused:
            if row["paused_at"] is None:
                await repository.update_clock(session, change.appeal_id, paused_at=change.at)
                await steps_sql.drop_pending(session, change.appeal_id)
            return
        if row["paused_at"] is None or change.at < row["paused_at"]:
            return
        policy = setup.policies.by_id(row["policy_id"]) or setup.policies.policies[-1]
        time = setup.bodies.working_time(row["agency_id"], policy, setup.calendar)
        paused = (row["paused_seconds"] or 0.0) + time.between(row["paused_at"], change.at)
        clock = Clock(row["clock_started_at"], policy, time,
                      extra_seconds=(row["extra_seconds"] or 0.0) + paused)  # fmt: skip
        planned = tuple(
            s for s in clock.steps()
            if row["answered_at"] is None or s.target is Target.RESOLUTION
        )  # fmt: skip
        deadline = breach_of(planned) if row["answered_at"] is None else row["deadline"]
        await repository.update_clock(
            session, change.appeal_id, paused_at=None, paused_seconds=paused, deadline=deadline
        )
        await steps_sql.plan(session, change.appeal_id, planned)
        name = f"deadline-{uuid.uuid5(change.appeal_id, change.at.isoformat())}"
        await announce_deadline(session, {**row, "deadline": deadline}, event.correlation_id, name)
    deps.relay.wake()


def _over(row: dict[str, object]) -> bool:
    """Nothing is due any more: resolved, withdrawn or closed."""
    return any(row[k] is not None for k in ("resolved_at", "withdrawn_at", "closed_at"))
