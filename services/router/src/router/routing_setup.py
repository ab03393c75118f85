"""The directory and the rules in use, taken from PostgreSQL and swapped when a new version is
stored, without a restart.

At start the files (DIRECTORY_FILE, ROUTING_RULES_FILE) seed version 1 when the database has
none; from then on the database is the truth and the admin API changes it. Every replica looks
for a newer version every `ROUTER_CONFIG_REFRESH_SECONDS` and swaps the whole setup at once, so
an appeal is routed wholly under one directory version and one rule set. A stored version that
no longer loads (code that validates more strictly) keeps the running one and is logged.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router import metrics
from router.adapters import config_store
from router.adapters.directory_file import parse_directory
from router.adapters.rules_file import parse_rules_text
from router.domain.directory import Directory
from router.domain.gazetteer import Gazetteer
from router.domain.routing import DefaultRouting
from router.domain.rules import RuleRouting, RuleSet

log = logging.getLogger("router.routing_setup")
Announce = Callable[[Directory, int], Awaitable[None]]


@dataclass(frozen=True)
class Versions:
    directory: int
    rules: int


class RoutingSetup:
    """What routing decides with right now: one directory version and one rule set."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        directory: Directory,
        rules: RuleSet,
        announce: Announce | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.versions = Versions(0, 0)
        self.announce = announce  # told of each directory version swapped in (the SLA's)
        self._swap(directory, rules)

    def _swap(self, directory: Directory, rules: RuleSet) -> None:
        # One assignment: a reader sees the old pair or the new one, never a mix.
        self._current = (directory, RuleRouting(DefaultRouting(directory, self.gazetteer), rules))
        metrics.directory_loaded(directory.agencies)

    @property
    def directory(self) -> Directory:
        return self._current[0]

    @property
    def routing(self) -> RuleRouting:
        return self._current[1]

    def parse(self, directory_document: str, rules_document: str, versions: Versions) -> None:
        """Build the setup from stored documents and swap it in; raises if either is refused."""
        name = f"v{versions.directory}"
        directory = parse_directory(directory_document, source=f"directory {name}", version=name)
        rules = parse_rules_text(
            rules_document, source=f"rules v{versions.rules}", directory=directory,
            gazetteer=self.gazetteer,
        )  # fmt: skip
        self._swap(directory, rules)
        self.versions = versions


async def seed(sessions: async_sessionmaker[AsyncSession], directory: Path, rules: Path) -> None:
    """Store the files as version 1 of each kind the database does not have yet."""
    files: tuple[tuple[config_store.Kind, Path], ...] = (("directory", directory), ("rules", rules))
    async with sessions() as session, session.begin():
        for kind, path in files:
            if await config_store.latest(session, kind) is None:
                await config_store.add(
                    session, kind, expected=None, actor="seed",
                    comment=f"from {path.name}", document=path.read_text(encoding="utf-8"),
                    changed=json.dumps([]),
                )  # fmt: skip


async def refresh(setup: RoutingSetup, sessions: async_sessionmaker[AsyncSession]) -> bool:
    """Load the newest stored versions if they are not the ones in use; True when swapped."""
    async with sessions() as session:
        numbers = await config_store.latest_numbers(session)
        wanted = Versions(numbers.get("directory", 0), numbers.get("rules", 0))
        if wanted == setup.versions or not wanted.directory or not wanted.rules:
            return False
        directory = await config_store.get(session, "directory", wanted.directory)
        rules = await config_store.get(session, "rules", wanted.rules)
    assert directory is not None and rules is not None
    before = setup.versions.directory
    try:
        setup.parse(directory.document, rules.document, wanted)
    except ValueError as exc:  # refused by this code: keep what runs, say why
        log.error("kept directory v%s and rules v%s: %s", *_pair(setup.versions), exc)
        return False
    log.info("routing with directory v%s and rules v%s", *_pair(wanted))
    if setup.announce is not None and wanted.directory != before:
        await setup.announce(setup.directory, wanted.directory)
    return True


def _pair(versions: Versions) -> tuple[int, int]:
    return versions.directory, versions.rules
