"""Changing the directory and the routing rules: what the admin API does.

Every change is checked whole before anything is stored (a refused import stores nothing); it
is made against the version the administrator saw (a stale one is refused, so two
administrators never overwrite each other); it is stored as a new version with who, when, why
and which ids changed; and this replica routes by it at once, the others within
ROUTER_CONFIG_REFRESH_SECONDS. A directory that would leave the rules in use naming a body it
no longer has is refused. A rule set is published only with the digest of its dry run, so
nobody publishes one whose effect on recent appeals they have not seen.
"""

import asyncio
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router.adapters import config_store, directory_document, recent_appeals
from router.adapters.directory_document import Changes
from router.adapters.directory_file import (
    DirectoryImportError,
    directory_from_data,
    parse_directory,
    read_document,
)
from router.adapters.rules_file import RuleImportError, parse_rules_text
from router.domain.directory import Directory
from router.domain.routing import DefaultRouting
from router.domain.rules import DryRun, RuleRouting, RuleSet, dry_run
from router.routing_setup import RoutingSetup, refresh

# What a directory change makes of the current data: the new data, each body's line in what
# was imported (None where no line says it) and the text to store (None: the data, as YAML).
Draft = tuple[dict[str, Any], list[int | None], str | None]
Build = Callable[[dict[str, Any]], Draft]


class Refused(ValueError):
    """A change that does not check: nothing was stored."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class Stale(Exception):
    """The change was made against an older version than the current one."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the current version is {current}")
        self.current = current


@dataclass(frozen=True)
class DirectoryChange:
    based_on: int
    version: int | None  # None for a dry run
    bodies: int
    changes: Changes


@dataclass(frozen=True)
class RulesTrial:
    based_on: int
    digest: str  # what publishing this document asks for
    appeal_ids: tuple[uuid.UUID, ...]  # in the order of result.outcomes
    result: DryRun


class ConfigAdmin:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        setup: RoutingSetup,
        min_confidence: float,
    ) -> None:
        self.sessions, self.setup, self.min_confidence = sessions, setup, min_confidence

    async def change_directory(
        self, build: Build, *, source: str, expected: int | None, actor: str, comment: str,
        dry_run: bool,
    ) -> DirectoryChange:  # fmt: skip
        """Check the directory `build` makes of the current one; store it unless a dry run."""
        async with self.sessions() as session, session.begin():
            current = await _latest(session, "directory")
            rules = await _latest(session, "rules")
            if not dry_run and expected != current.version:
                raise Stale(current.version)
            new, text = self._check_directory(build, current, rules, source)
            old = self._directory_of(current)
            diff = directory_document.changes(old, new)
            if dry_run:
                return DirectoryChange(current.version, None, len(new.bodies), diff)
            if not diff.ids and _same_head(old, new):  # nothing to store: no empty version
                return DirectoryChange(current.version, current.version, len(new.bodies), diff)
            stored = await config_store.add(
                session, "directory", expected=current.version, actor=actor, comment=comment,
                document=text, changed=json.dumps(diff.ids),
            )  # fmt: skip
            if stored is None:
                raise Stale(current.version + 1)
        await refresh(self.setup, self.sessions)
        return DirectoryChange(current.version, stored, len(new.bodies), diff)

    def _check_directory(
        self,
        build: Build,
        current: config_store.StoredVersion,
        rules: config_store.StoredVersion,
        source: str,
    ) -> tuple[Directory, str]:
        try:
            data, lines, text = build(directory_document.load(current.document))
            version = f"v{current.version + 1}"
            new = directory_from_data(data, lines, source=source, version=version)
            parse_rules_text(
                rules.document, source=f"rules v{rules.version}", directory=new,
                gazetteer=self.setup.gazetteer,
            )  # fmt: skip
        except DirectoryImportError as exc:
            raise Refused(str(exc), exc.line) from None
        except RuleImportError as exc:
            raise Refused(f"the rules in use would no longer load: {exc}") from None
        return new, text if text is not None else directory_document.dump(data)

    def _directory_of(self, stored: config_store.StoredVersion) -> Directory:
        if self.setup.versions.directory == stored.version:
            return self.setup.directory
        name = f"v{stored.version}"
        return parse_directory(stored.document, source=f"directory {name}", version=name)

    async def try_rules(self, document: str, *, limit: int) -> RulesTrial:
        """What the rule set would do to the `limit` latest appeals, against the rules in use."""
        setup = self.setup
        directory, current = setup.directory, setup.routing
        proposed = RuleRouting(DefaultRouting(directory, setup.gazetteer), self._rules(document))
        async with self.sessions() as session:
            based_on = (await _latest(session, "rules")).version
            appeals = await recent_appeals.recent(session, directory, limit)
        # Routing is CPU work: a thread keeps the service's loop answering meanwhile.
        result = await asyncio.to_thread(
            dry_run, current, proposed, [a for _, a in appeals],
            min_confidence=self.min_confidence,
        )  # fmt: skip
        ids = tuple(appeal_id for appeal_id, _ in appeals)
        return RulesTrial(based_on, digest(document), ids, result)

    async def publish_rules(
        self, document: str, *, seen: str, expected: int | None, actor: str, comment: str
    ) -> int:
        """Store the rule set as the next version, stamped with it; returns the version."""
        if seen != digest(document):
            raise Refused("dry_run_digest is not this document's: try it again, then publish")
        self._rules(document)
        async with self.sessions() as session, session.begin():
            current = await _latest(session, "rules")
            if expected != current.version:
                raise Stale(current.version)
            stamped = _stamped(document, current.version + 1, actor)
            ids = [r.id for r in self._rules(stamped).rules]  # checked as published, stamp and all
            stored = await config_store.add(
                session, "rules", expected=current.version, actor=actor, comment=comment,
                document=stamped, changed=json.dumps(ids),
            )  # fmt: skip
            if stored is None:
                raise Stale(current.version + 1)
        await refresh(self.setup, self.sessions)
        return stored

    def _rules(self, document: str) -> RuleSet:
        try:
            return parse_rules_text(
                document, source="rules", directory=self.setup.directory,
                gazetteer=self.setup.gazetteer,
            )  # fmt: skip
        except RuleImportError as exc:
            raise Refused(str(exc), None if exc.by_index else exc.line_or_index) from None


def _same_head(old: Directory, new: Directory) -> bool:
    """The same region, triage body and reach (the bodies are compared by `changes`)."""
    return (old.region, old.triage_agency_id, old.reach) == (
        new.region, new.triage_agency_id, new.reach
    )  # fmt: skip


def digest(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8", "surrogatepass")).hexdigest()


def replace_with(text: str, source: str) -> Build:
    """A whole new directory document, stored as it was written (comments and all)."""

    def build(_: dict[str, Any]) -> Draft:
        data, lines = read_document(text, source)
        return data, lines, text

    return build


def upsert_with(read: Callable[[], list[tuple[dict[str, Any], int | None]]], source: str) -> Build:
    """Bodies added or replacing those of their ids; `read` parses the import (and may refuse)."""

    def build(current: dict[str, Any]) -> Draft:
        data, lines = directory_document.upsert(current, read(), source)
        return data, lines, None

    return build


def _stamped(document: str, version: int, actor: str) -> str:
    data = yaml.safe_load(document)
    rules = data if isinstance(data, list) else data.get("rules", [])
    stamp = {"version": version, "published_at": datetime.now(UTC), "published_by": actor}
    return yaml.safe_dump({**stamp, "rules": rules}, allow_unicode=True, sort_keys=False)


async def _latest(session: AsyncSession, kind: config_store.Kind) -> config_store.StoredVersion:
    stored = await config_store.latest(session, kind)
    assert stored is not None, "the files seed version 1 when the service starts"
    return stored
