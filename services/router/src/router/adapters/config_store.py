"""The directory and the routing rules in PostgreSQL, every version kept.

Each change is a new version of the whole document (YAML, the import format), with who made
it, when, why and which bodies or rules it changed; an assignment names the directory version
it was routed under. A region's directory has hundreds to a few thousand bodies, so a whole
document a version costs little and makes any version readable as it was.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Column, DateTime, Integer, Table, Text, cast, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from router.adapters.orm import metadata

Kind = Literal["directory", "rules"]

config_versions = Table(
    "config_versions",
    metadata,
    Column("kind", Text, primary_key=True),  # directory, rules
    Column("version", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor", Text, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("document", Text, nullable=False),
    Column("changed", Text, nullable=False, server_default="[]", comment="JSON list of ids"),
)


@dataclass(frozen=True)
class StoredVersion:
    kind: str
    version: int
    created_at: datetime
    actor: str
    comment: str
    document: str
    changed: str

    @property
    def changed_ids(self) -> list[str]:
        ids = json.loads(self.changed)
        return [str(i) for i in ids] if isinstance(ids, list) else []


async def latest(session: AsyncSession, kind: Kind) -> StoredVersion | None:
    """The newest version of a kind, or None before the first."""
    row = (
        await session.execute(
            select(config_versions)
            .where(config_versions.c.kind == kind)
            .order_by(config_versions.c.version.desc())
            .limit(1)
        )
    ).first()
    return StoredVersion(**row._mapping) if row else None


async def latest_numbers(session: AsyncSession) -> dict[str, int]:
    """The newest version number of each kind: what the refresh loop compares."""
    rows = await session.execute(
        select(config_versions.c.kind, func.max(config_versions.c.version)).group_by(
            config_versions.c.kind
        )
    )
    return {kind: int(version) for kind, version in rows}


async def history(
    session: AsyncSession, kind: Kind, *, limit: int, touching: str | None = None
) -> list[StoredVersion]:
    """The versions of a kind, newest first, without their documents; `touching` keeps those
    that changed that body or rule id."""
    columns = [c for c in config_versions.c if c.name != "document"]
    query = select(*columns, literal("").label("document")).where(config_versions.c.kind == kind)
    if touching is not None:
        query = query.where(cast(config_versions.c.changed, JSONB).contains([touching]))
    rows = await session.execute(query.order_by(config_versions.c.version.desc()).limit(limit))
    return [StoredVersion(**row._mapping) for row in rows]


async def get(session: AsyncSession, kind: Kind, version: int) -> StoredVersion | None:
    row = (
        await session.execute(
            select(config_versions).where(
                config_versions.c.kind == kind, config_versions.c.version == version
            )
        )
    ).first()
    return StoredVersion(**row._mapping) if row else None


async def add(
    session: AsyncSession,
    kind: Kind,
    *,
    expected: int | None,
    actor: str,
    comment: str,
    document: str,
    changed: str,
) -> int | None:
    """Store the next version after `expected` (None: the first); None when another change
    got there first (the caller reports a conflict and nothing is half-written)."""
    version = (expected or 0) + 1
    stored = await session.scalar(
        insert(config_versions)
        .values(kind=kind, version=version, actor=actor, comment=comment, document=document,
                changed=changed)
        .on_conflict_do_nothing(index_elements=["kind", "version"])
        .returning(config_versions.c.version)
    )  # fmt: skip
    return int(stored) if stored is not None else None
