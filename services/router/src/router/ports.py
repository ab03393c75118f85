"""What the operators' handlers need from the outside world, as Protocols: the SQL adapters
implement them in production, fakes in unit tests."""

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from appeals_common.events import Envelope

Row = dict[str, Any]
Clock = Callable[[], datetime]


class AppealRepository(Protocol):
    async def get(self, appeal_id: uuid.UUID, *, lock: bool = False) -> Row | None:
        """The appeal's row; `lock` holds it until the unit of work ends."""

    async def update(self, appeal_id: uuid.UUID, version: int, changes: Mapping[str, Any]) -> Row:
        """Apply changes to the row at `version`, counting the version up; the new row."""

    async def find_answer(self, appeal_id: uuid.UUID, idempotency_key: str) -> Row | None: ...

    async def latest_answer(self, appeal_id: uuid.UUID) -> Row | None:
        """The newest answer written in the queue (with its text), if any."""

    async def add_answer(self, values: Mapping[str, Any]) -> None: ...

    async def duplicates_of(self, appeal_id: uuid.UUID) -> list[Row]:
        """The appeals merged into this one."""

    async def add_note(self, values: Mapping[str, Any]) -> None: ...

    async def get_answer(self, response_id: uuid.UUID) -> Row | None: ...

    async def add_delivery(self, values: Mapping[str, Any]) -> None: ...

    async def get_delivery(self, delivery_id: uuid.UUID, *, lock: bool = False) -> Row | None: ...

    async def update_delivery(self, delivery_id: uuid.UUID, changes: Mapping[str, Any]) -> Row:
        """Apply changes to the delivery; the new row."""

    async def add_audit(self, values: Mapping[str, Any]) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: the repository's changes and the events they imply, or neither."""

    @property
    def appeals(self) -> AppealRepository: ...

    async def publish(self, topic: str, event: Envelope[Any], *, key: str) -> None:
        """Queue an event to leave once the transaction commits (the outbox)."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Commit when the block ended normally, roll back otherwise."""
