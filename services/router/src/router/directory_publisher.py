"""The directory version routing uses, announced for the SLA monitor (time zones, hours and
heads of bodies come from here): on `directory.versions.v1`, compacted, one key, so a monitor
that starts later still reads the newest. Each replica announces the versions it swaps in; a
repeat is harmless (the monitor keeps the highest version)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import OutboxRelay, enqueue
from appeals_common.events import BodySchedule, DirectoryPublished, HeadContact, new_envelope
from appeals_common.topics import DIRECTORY_VERSIONS
from router.adapters.orm import outbox
from router.domain.directory import Directory
from router.domain.schedules import regional_government, schedules

_NAMESPACE = uuid.UUID("6c1f3c2e-8a61-4c44-9f0e-2d3b7a5e9d10")


def announcement(directory: Directory, number: int) -> DirectoryPublished:
    government = regional_government(directory)
    return DirectoryPublished(
        version=number,
        region_oktmo=directory.region.oktmo,
        triage_body=directory.triage_agency_id,
        regional_government=government.id if government else None,
        bodies=tuple(
            BodySchedule(
                id=s.body.id, name=s.body.name, kind=s.body.kind.value, parent=s.body.parent,
                territory=s.body.territory, timezone=s.timezone, hours=dict(s.hours),
                head=HeadContact(**vars(s.body.head)) if s.body.head else None,
            )
            for s in schedules(directory)
            if s.body.active_on(directory.today)
        ),
    )  # fmt: skip


async def publish(
    sessions: async_sessionmaker[AsyncSession], relay: OutboxRelay, directory: Directory,
    number: int,
) -> None:  # fmt: skip
    envelope = new_envelope(
        announcement(directory, number),
        source="router",
        correlation_id=f"directory-v{number}",
        event_id=uuid.uuid5(_NAMESPACE, f"directory-v{number}"),
    )
    async with sessions() as session, session.begin():
        await enqueue(session, outbox, DIRECTORY_VERSIONS, envelope, key="directory")
    relay.wake()
