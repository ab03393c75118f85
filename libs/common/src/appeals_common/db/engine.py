"""The async SQLAlchemy engine and session factory a service creates once, in its lifespan."""

import asyncio

from sqlalchemy import event, exc, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from appeals_common.errors import DependencyUnavailable
from appeals_common.settings import DatabaseSettings

# Errors that mean "the database is not reachable now", as opposed to "this data is wrong".
TRANSIENT_DB_ERRORS: tuple[type[BaseException], ...] = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.TimeoutError,
)
# The same, and the server not there at all (OSError: connection refused, and TimeoutError,
# which is one): what a loop that only waits for the database catches.
DATABASE_UNREACHABLE: tuple[type[BaseException], ...] = (*TRANSIENT_DB_ERRORS, OSError)
# SQLSTATE classes of a server going away or not there yet: 08 connection exceptions,
# 57P01-03 shut down by an administrator, crashed, cannot connect now (starting or stopping).
_SERVER_AWAY = ("08", "57P")


def _server_away_is_operational(context: ExceptionContext) -> exc.OperationalError | None:
    """asyncpg's errors of a server going away reach SQLAlchemy as a bare DBAPIError, which no
    one would retry; raise them as the OperationalError they are (a restart, a failover)."""
    sqlstate = getattr(context.original_exception, "sqlstate", None) or ""
    error = context.sqlalchemy_exception
    if not sqlstate.startswith(_SERVER_AWAY) or isinstance(error, exc.OperationalError):
        return None
    context.is_disconnect = True  # the pool drops the connection instead of reusing it
    return exc.OperationalError(
        context.statement, context.parameters, context.original_exception, hide_parameters=True
    )


class Database:
    """Owns the engine; hands out sessions; checks readiness."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self.engine: AsyncEngine = create_async_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            pool_pre_ping=True,
            # A failed statement must not log its parameters: residents' texts and ids.
            hide_parameters=True,
        )
        event.listen(
            self.engine.sync_engine, "handle_error", _server_away_is_operational, retval=True
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)

    async def check(self) -> None:
        """Readiness: a trivial query answers within a few seconds."""
        try:
            async with asyncio.timeout(3), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except DATABASE_UNREACHABLE as error:
            raise DependencyUnavailable("PostgreSQL did not answer") from error

    async def dispose(self) -> None:
        await self.engine.dispose()
