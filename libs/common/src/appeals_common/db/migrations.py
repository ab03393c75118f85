"""Alembic plumbing shared by the services' migration environments."""

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def _only_schema(schema: str) -> Callable[[str | None, str, Any], bool]:
    """Each service sees only its own schema: never another service's tables."""
    return lambda name, type_, _: type_ != "schema" or name == schema


def run_env(target_metadata: MetaData, schema: str) -> None:
    """Body of a service's `env.py`: migrate its own schema, with its own version table."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by upgrade()"

    def migrate(connection: Connection) -> None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=_only_schema(schema),
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, hide_parameters=True)
        async with engine.begin() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(run())


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    """Apply a service's migrations up to `revision`."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url)
    command.upgrade(config, revision)


async def schema_drift(database_url: str, target_metadata: MetaData, schema: str) -> list[Any]:
    """What autogenerate would still change in `schema`: empty when migrations match the code."""

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "version_table_schema": schema,
                "include_schemas": True,
                "include_name": _only_schema(schema),
            },
        )
        return list(compare_metadata(context, target_metadata))

    engine = create_async_engine(database_url, hide_parameters=True)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()
