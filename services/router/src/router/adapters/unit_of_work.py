"""The operators' unit of work over PostgreSQL: one transaction, the outbox in it."""

import uuid
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import enqueue
from appeals_common.events import Envelope
from router.adapters.orm import assignments, audit_log, deliveries, notes, outbox, responses
from router.ports import Row


class SqlAppealRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, appeal_id: uuid.UUID, *, lock: bool = False) -> Row | None:
        query = select(assignments).where(assignments.c.appeal_id == appeal_id)
        row = (await self._session.execute(query.with_for_update() if lock else query)).first()
        return dict(row._mapping) if row else None

    async def update(self, appeal_id: uuid.UUID, version: int, changes: Mapping[str, Any]) -> Row:
        row = (
            await self._session.execute(
                update(assignments)
                # The version in the WHERE is a second guard behind the row lock.
                .where(assignments.c.appeal_id == appeal_id, assignments.c.version == version)
                .values(**changes, version=version + 1)
                .returning(assignments)
            )
        ).one()
        return dict(row._mapping)

    async def find_answer(self, appeal_id: uuid.UUID, idempotency_key: str) -> Row | None:
        query = select(responses).where(
            responses.c.appeal_id == appeal_id, responses.c.idempotency_key == idempotency_key
        )
        row = (await self._session.execute(query)).first()
        return dict(row._mapping) if row else None

    async def latest_answer(self, appeal_id: uuid.UUID) -> Row | None:
        query = (
            select(responses)
            .where(
                responses.c.appeal_id == appeal_id,
                responses.c.text.is_not(None),
                responses.c.kind == "final",  # an interim answer does not answer a duplicate
            )
            .order_by(responses.c.created_at.desc())
            .limit(1)
        )
        row = (await self._session.execute(query)).first()
        return dict(row._mapping) if row else None

    async def add_answer(self, values: Mapping[str, Any]) -> None:
        await self._session.execute(insert(responses).values(**values))

    async def duplicates_of(self, appeal_id: uuid.UUID) -> list[Row]:
        query = select(assignments).where(assignments.c.merged_into == appeal_id)
        return [dict(r._mapping) for r in await self._session.execute(query)]

    async def add_note(self, values: Mapping[str, Any]) -> None:
        await self._session.execute(insert(notes).values(**values))

    async def add_audit(self, values: Mapping[str, Any]) -> None:
        await self._session.execute(insert(audit_log).values(**values))

    async def get_answer(self, response_id: uuid.UUID) -> Row | None:
        query = select(responses).where(responses.c.response_id == response_id)
        row = (await self._session.execute(query)).first()
        return dict(row._mapping) if row else None

    async def add_delivery(self, values: Mapping[str, Any]) -> None:
        await self._session.execute(insert(deliveries).values(**values))

    async def get_delivery(self, delivery_id: uuid.UUID, *, lock: bool = False) -> Row | None:
        query = select(deliveries).where(deliveries.c.delivery_id == delivery_id)
        row = (await self._session.execute(query.with_for_update() if lock else query)).first()
        return dict(row._mapping) if row else None

    async def update_delivery(self, delivery_id: uuid.UUID, changes: Mapping[str, Any]) -> Row:
        row = (
            await self._session.execute(
                update(deliveries)
                .where(deliveries.c.delivery_id == delivery_id)
                .values(**changes)
                .returning(deliveries)
            )
        ).one()
        return dict(row._mapping)


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        await self._session.begin()
        self.appeals = SqlAppealRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self._session.commit()
            else:
                await self._session.rollback()
        finally:
            await self._session.close()

    async def publish(self, topic: str, event: Envelope[Any], *, key: str) -> None:
        await enqueue(self._session, outbox, topic, event, key=key)
