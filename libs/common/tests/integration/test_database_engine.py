"""The engine against a real PostgreSQL: a server that goes away is an error worth retrying."""

import asyncio

import pytest
from sqlalchemy import text

from appeals_common.db import TRANSIENT_DB_ERRORS, Database
from appeals_common.settings import DatabaseSettings

pytestmark = pytest.mark.integration


async def test_a_statement_the_server_ends_by_shutting_down_fails_as_transient(
    infra,  # type: ignore[no-untyped-def]
) -> None:
    """PostgreSQL answers a statement in flight with 57P01 when it is stopped or the session is
    terminated: a restart or a failover, which the consumers must wait out, not crash on."""
    database = Database(DatabaseSettings(DATABASE_URL=infra.database_url))
    try:
        async with database.engine.connect() as victim:
            pid = (await victim.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            sleeping = asyncio.create_task(victim.execute(text("SELECT pg_sleep(30)")))
            async with database.engine.connect() as admin:
                await _until_active(admin, pid)
                ended = await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                assert ended.scalar_one() is True
            with pytest.raises(TRANSIENT_DB_ERRORS):
                await sleeping
        async with database.engine.connect() as fresh:  # the pool threw the dead one away
            assert (await fresh.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await database.dispose()


async def _until_active(admin, pid: int) -> None:  # type: ignore[no-untyped-def]
    query = text("SELECT state FROM pg_stat_activity WHERE pid = :pid")
    async with asyncio.timeout(10):
        while (await admin.execute(query, {"pid": pid})).scalar_one() != "active":
            await asyncio.sleep(0.05)
