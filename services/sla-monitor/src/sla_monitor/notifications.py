"""Telling officials about their appeals' steps: each fired step (sla.steps.v1) goes to the
person the policy names, through every channel the directory has for them.

A notice is sent at least once and, as far as this side can tell, once: a sent notice is
recorded by its event id and a redelivery skips it (a crash between the sending and the
record resends it; the e-mail carries the same Message-ID). While a channel is unreachable
the partition waits and retries (nothing is dropped); a notice that can never go (no
contact, an unknown chat) is counted and logged without the resident's data.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.errors import DependencyUnavailable
from appeals_common.events import Envelope, SlaStepFired
from sla_monitor import metrics
from sla_monitor.adapters import repository
from sla_monitor.adapters.orm import notifications
from sla_monitor.domain.bodies import DEFAULT_ZONE
from sla_monitor.domain.policy import Recipient
from sla_monitor.notify.notices import Contact, Notice
from sla_monitor.notify.ports import NotificationFailed, Notifier
from sla_monitor.setup import SlaSetup

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NoticeDeps:
    sessions: async_sessionmaker[AsyncSession]
    setup: SlaSetup
    notifier: Notifier
    console_url: str  # where the card's link points


async def handle_step_fired(event: Envelope[SlaStepFired], deps: NoticeDeps) -> None:
    step = event.payload
    head = deps.setup.bodies.contact(step.agency_id, Recipient(step.recipient))
    if head is None:
        metrics.NOTICES.labels(step.step, "no_contact").inc()
        log.warning("SLA step %s of appeal %s: the directory names nobody to tell (%s)",
                    step.step, step.appeal_id, step.recipient)  # fmt: skip
        return
    async with deps.sessions() as session:
        sent = select(notifications.c.event_id).where(notifications.c.event_id == event.id)
        if await session.scalar(sent) is not None:
            return  # sent before this redelivery
        clock = await repository.get_clock(session, step.appeal_id)
    notice = Notice(
        appeal_id=step.appeal_id, step=step.step, share=step.share,
        agency_name=deps.setup.bodies.name(step.agency_id),
        due_at=_deadline(step, clock["deadline"] if clock else None, deps.setup),
        fired_at=step.fired_at, policy_name=_policy_name(step, deps.setup),
        card_url=f"{deps.console_url.rstrip('/')}/console/appeals/{step.appeal_id}",
        to=Contact(head.name, head.position, head.email, head.telegram_chat_id),
    )  # fmt: skip
    try:
        await deps.notifier.send(notice)
    except NotificationFailed as failed:
        if failed.transient:  # the partition waits and retries: nothing is dropped
            raise DependencyUnavailable(f"SLA notice not sent yet: {failed}") from None
        metrics.NOTICES.labels(step.step, "undeliverable").inc()
        log.warning("SLA notice %s of appeal %s cannot be delivered: %s",
                    step.step, step.appeal_id, failed)  # fmt: skip
        return
    async with deps.sessions() as session, session.begin():
        await session.execute(
            insert(notifications).values(event_id=event.id, appeal_id=step.appeal_id,
                                         step=step.step).on_conflict_do_nothing()
        )  # fmt: skip
    metrics.NOTICES.labels(step.step, "sent").inc()


def _deadline(step: SlaStepFired, first_response: datetime | None, setup: SlaSetup) -> datetime:
    """The deadline the notice names, in the body's zone: the first answer's for the
    first-response steps, the final answer's for the resolution."""
    body = setup.bodies.by_id.get(step.agency_id)
    zone = ZoneInfo(body.timezone if body else DEFAULT_ZONE)
    due = first_response if step.target == "first_response" and first_response else step.due_at
    return due.astimezone(zone)


def _policy_name(step: SlaStepFired, setup: SlaSetup) -> str:
    policy = setup.policies.by_id(step.policy_id)
    return policy.name if policy else step.policy_id
