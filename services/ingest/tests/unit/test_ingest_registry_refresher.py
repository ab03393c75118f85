"""The refresh loop: reloads only when the version moved, and keeps its snapshot through a
database outage until the database answers again, and through a credential no key opens."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from appeals_common.events import Platform
from ingest.adapters import page_repository
from ingest.adapters.credential_cipher import (
    DEV_CREDENTIAL_KEY,
    CredentialCipher,
    CredentialKeyError,
)
from ingest.adapters.registry_refresher import RegistryRefresher
from ingest.domain.pages import Page, PageRegistry


class FakeDatabase:
    """Stands in for the two queries the refresher makes; `down` makes them fail."""

    def __init__(self) -> None:
        self.version, self.pages, self.loads, self.down = 1, ["p1"], 0, False
        self.unreadable = False

    @asynccontextmanager
    async def session(self) -> AsyncIterator[None]:
        yield None

    async def read_version(self, _: Any) -> int:
        if self.down:
            raise OperationalError("SELECT", {}, ConnectionRefusedError())
        return self.version

    async def load(self, _: Any, *, cipher: CredentialCipher) -> PageRegistry:
        self.loads += 1
        if self.unreadable:
            raise CredentialKeyError("no key opens a stored credential")
        return PageRegistry([Page(p, Platform.API, p, "b", "n") for p in self.pages])


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch) -> FakeDatabase:
    fake = FakeDatabase()
    monkeypatch.setattr(page_repository, "version", fake.read_version)
    monkeypatch.setattr(page_repository, "load_registry", fake.load)
    return fake


def refresher(database: FakeDatabase, applied: list[PageRegistry]) -> RegistryRefresher:
    cipher = CredentialCipher([DEV_CREDENTIAL_KEY])
    return RegistryRefresher(database.session, applied.append, cipher=cipher, interval_s=0.01)  # type: ignore[arg-type]


async def test_it_reloads_only_when_the_version_moved(database: FakeDatabase) -> None:
    applied: list[PageRegistry] = []
    loop = refresher(database, applied)

    assert await loop.refresh() is True
    assert await loop.refresh() is False
    database.version, database.pages = 2, ["p1", "p2"]
    assert await loop.refresh() is True

    assert (database.loads, [len(r) for r in applied]) == (2, [1, 2])


async def test_the_loop_keeps_its_snapshot_through_an_outage_and_catches_up(
    database: FakeDatabase,
) -> None:
    applied: list[PageRegistry] = []
    loop = refresher(database, applied)
    await loop.refresh()
    database.down = True
    task = asyncio.create_task(loop.run())

    await asyncio.sleep(0.05)
    assert [len(r) for r in applied] == [1] and not task.done()
    database.down, database.version, database.pages = False, 2, ["p1", "p2", "p3"]
    async with asyncio.timeout(2):
        while len(applied) < 2:
            await asyncio.sleep(0.01)
    await loop.stop()
    await task

    assert len(applied[-1]) == 3


async def test_the_loop_keeps_its_snapshot_when_no_key_opens_a_credential(
    database: FakeDatabase,
) -> None:
    applied: list[PageRegistry] = []
    loop = refresher(database, applied)
    await loop.refresh()
    database.unreadable, database.version = True, 2
    task = asyncio.create_task(loop.run())

    async with asyncio.timeout(2):
        while database.loads < 3:
            await asyncio.sleep(0.01)
    assert [len(r) for r in applied] == [1] and not task.done()
    await loop.stop()
    await task
