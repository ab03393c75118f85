"""Tells our own delivered answers from the page's other replies, when a webhook or a poll
shows them back to us (domain/delivery: what the worker records before and after posting)."""

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.errors import DependencyUnavailable
from appeals_common.events import AppealAnswered
from ingest.adapters import delivery_repository


@dataclass(frozen=True)
class SqlOwnReplies:
    sessions: async_sessionmaker[AsyncSession]

    async def ours(self, answered: AppealAnswered) -> bool:
        try:
            async with self.sessions() as session:
                return await delivery_repository.is_ours(
                    session, response_id=answered.response_id, appeal_id=answered.appeal_id
                )
        except (SQLAlchemyError, OSError) as exc:
            # The platform retries a refused webhook; the poller retries its round.
            raise DependencyUnavailable(f"database: {type(exc).__name__}") from None
