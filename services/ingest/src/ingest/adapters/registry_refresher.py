"""Keeps a replica's in-memory page registry in step with the database, so that no callback
queries the database: a loop checks the registry version every few seconds and reloads the
whole snapshot when it moved; an admin change on this replica refreshes it at once."""

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ingest import metrics
from ingest.adapters import page_repository
from ingest.adapters.credential_cipher import CredentialCipher, CredentialKeyError
from ingest.domain.pages import PageRegistry

log = logging.getLogger(__name__)


class RegistryRefresher:
    """Loads snapshots and hands each new one to `apply` (which swaps it in whole)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        apply: Callable[[PageRegistry], None],
        *,
        cipher: CredentialCipher,
        interval_s: float,
    ) -> None:
        self._sessions = sessions
        self._apply = apply
        self._cipher = cipher
        self._interval_s = interval_s
        self._version: int | None = None
        # One refresh at a time: an older snapshot must never be applied after a newer one.
        self._lock = asyncio.Lock()
        self._stopping = asyncio.Event()

    async def refresh(self) -> bool:
        """Reload when the database's version moved; True when a new snapshot was applied."""
        async with self._lock, self._sessions() as session:
            # The version first: the pages read after it are at least that new.
            version = await page_repository.version(session)
            if version != self._version:
                registry = await page_repository.load_registry(session, cipher=self._cipher)
                self._apply(registry)
                self._version = version
                metrics.PAGE_REGISTRY_PAGES.set(len(registry))
                log.info("page registry loaded", extra={"pages": len(registry), "version": version})
                changed = True
            else:
                changed = False
        metrics.PAGE_REGISTRY_CHECKED.set_to_current_time()
        return changed

    async def run(self) -> None:
        """Refresh on schedule until stopped; a database outage keeps the last snapshot."""
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval_s)
            if self._stopping.is_set():
                return
            try:
                await self.refresh()
            except (SQLAlchemyError, OSError) as exc:
                metrics.PAGE_REGISTRY_FAILURES.inc()
                log.warning("page registry refresh failed", extra={"error": type(exc).__name__})
            except CredentialKeyError as exc:
                # A key removed too early: serving the last snapshot beats serving nothing.
                metrics.PAGE_REGISTRY_FAILURES.inc()
                log.error("page registry refresh failed", extra={"error": str(exc)})

    async def stop(self) -> None:
        self._stopping.set()
