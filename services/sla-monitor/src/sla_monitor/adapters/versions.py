"""Versions of the documents the monitor works by (policies, the directory), every one kept."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Stored:
    version: int
    created_at: datetime
    actor: str
    comment: str
    document: str


async def latest(session: AsyncSession, table: Table) -> Stored | None:
    row = (await session.execute(select(table).order_by(table.c.version.desc()).limit(1))).first()
    return Stored(**row._mapping) if row else None


async def latest_number(session: AsyncSession, table: Table) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(table.c.version), 0))) or 0)


async def history(session: AsyncSession, table: Table, limit: int) -> list[Stored]:
    rows = await session.execute(select(table).order_by(table.c.version.desc()).limit(limit))
    return [Stored(**row._mapping) for row in rows]


async def add(
    session: AsyncSession, table: Table, version: int, *, actor: str, comment: str, document: str
) -> bool:
    """Store a version; False when it is there already (a repeat, or another change first)."""
    stored = await session.scalar(
        insert(table)
        .values(version=version, actor=actor, comment=comment, document=document)
        .on_conflict_do_nothing(index_elements=["version"])
        .returning(table.c.version)
    )
    return stored is not None


async def get(session: AsyncSession, table: Table, version: int) -> Stored | None:
    row = (await session.execute(select(table).where(table.c.version == version))).first()
    return Stored(**row._mapping) if row else None
