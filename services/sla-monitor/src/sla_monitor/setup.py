"""What the clocks count by right now: the production calendar, a policy set version and a
directory version, swapped whole when a newer one is stored, without a restart.

At start the policies file (SLA_POLICIES_FILE) seeds version 1 when the database has none;
then the database is the truth and the admin API changes it. The directory comes from the
router's announcements (any replica stores one; every replica picks it up from the database).
A stored version this code refuses keeps the running one, and is logged.
"""

import logging
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.events import DirectoryPublished
from sla_monitor.adapters import versions
from sla_monitor.adapters.orm import directory_versions, policy_versions
from sla_monitor.adapters.policy_file import parse_policies
from sla_monitor.domain.bodies import Bodies
from sla_monitor.domain.calendar import ProductionCalendar
from sla_monitor.domain.policy import PolicySet

log = logging.getLogger("sla_monitor.setup")


class SlaSetup:
    def __init__(
        self, calendar: ProductionCalendar, policies: PolicySet, *, pinned: bool = False
    ) -> None:
        self.calendar, self.policies, self.bodies = calendar, policies, Bodies()
        self.pinned = pinned  # the policies file is the truth (SLA_POLICIES_SOURCE=file)


async def seed_policies(
    setup: SlaSetup, sessions: async_sessionmaker[AsyncSession], path: Path
) -> None:
    """Store the file as version 1 when the database has none; when the file is the truth,
    store it as the next version whenever it differs from the newest, and count by it."""
    text = path.read_text(encoding="utf-8")
    async with sessions() as session, session.begin():
        newest = await versions.latest(session, policy_versions)
        if newest is not None and (not setup.pinned or newest.document == text):
            number = newest.version
        else:
            number = (newest.version if newest else 0) + 1
            await versions.add(session, policy_versions, number, actor="file",
                               comment=f"from {path.name}", document=text)  # fmt: skip
    if setup.pinned:
        setup.policies = _stamped(parse_policies(text, str(path)), number)


async def store_directory(session: AsyncSession, published: DirectoryPublished) -> bool:
    """Keep an announced directory version; False for one already kept."""
    return await versions.add(
        session, directory_versions, published.version, actor="router",
        comment="announced", document=published.model_dump_json(),
    )  # fmt: skip


async def refresh(setup: SlaSetup, sessions: async_sessionmaker[AsyncSession]) -> bool:
    """Take the newest stored policies and directory if they are not those in use."""
    async with sessions() as session:
        policies = await versions.latest(session, policy_versions)
        directory = await versions.latest(session, directory_versions)
    changed = False
    if not setup.pinned and policies is not None and policies.version != setup.policies.version:
        try:
            setup.policies = _stamped(parse_policies(policies.document), policies.version)
            changed = True
        except ValueError as exc:
            log.error("kept SLA policies v%s: %s", setup.policies.version, exc)
    if directory is not None and directory.version > setup.bodies.version:
        try:
            setup.bodies = Bodies.of(DirectoryPublished.model_validate_json(directory.document))
            changed = True
        except ValidationError as exc:
            log.error("kept directory v%s: %s", setup.bodies.version, exc.error_count())
    return changed


def _stamped(policies: PolicySet, version: int) -> PolicySet:
    return PolicySet(version, policies.policies)
