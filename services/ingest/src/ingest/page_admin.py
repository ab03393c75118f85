"""The admin commands on the page registry: each runs in one transaction, then refreshes this
replica's snapshot so the change applies here at once (other replicas: within
INGEST_PAGE_REFRESH_SECONDS)."""

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.events import Platform
from ingest.adapters import api_key_repository as keys
from ingest.adapters import page_repository as repo
from ingest.adapters.credential_cipher import CredentialCipher
from ingest.adapters.registry_refresher import RegistryRefresher
from ingest.domain.api_keys import ApiKey, key_digest, key_prefix, new_key
from ingest.domain.page_fields import PageCreate, PageUpdate, updated
from ingest.domain.page_views import ApiKeyRead
from ingest.domain.pages import Page

log = logging.getLogger(__name__)

# The database's message would quote the duplicate value, a secret for url_token: never shown.
_CONFLICTS = {
    "pages_pkey": "a page with this id exists",
    "uq_pages_platform_external_id": "a page with this platform and external_id exists",
    "uq_pages_url_token_digest": "another page has this url_token",
}


class PageNotFound(LookupError):
    """No page (or no such API key of the page) in the registry."""


class PageConflict(ValueError):
    """The change would make two pages answer to the same id, platform id or URL token."""


class NotASource(ValueError):
    """API keys are for pages of platform `api` only."""


@dataclass
class PageAdmin:
    sessions: async_sessionmaker[AsyncSession]
    refresher: RegistryRefresher
    cipher: CredentialCipher

    async def get_page(self, page_id: str) -> Page:
        """One page, or PageNotFound."""
        async with self.sessions() as session:
            return _found(await repo.get_page(session, page_id, cipher=self.cipher))

    async def list_pages(
        self, *, platform: Platform | None, body_id: str | None, limit: int, offset: int
    ) -> tuple[int, list[Page]]:
        """Pages in id order, filtered, one page of results at a time."""
        async with self.sessions() as session:
            return await repo.list_pages(
                session,
                platform=platform,
                body_id=body_id,
                limit=limit,
                offset=offset,
                cipher=self.cipher,
            )

    async def create(self, page_in: PageCreate) -> Page:
        """Register a page."""
        page = page_in.to_page()
        async with self._writing() as session:
            await repo.insert_page(session, page, cipher=self.cipher)
        await self._refresh()
        return page

    async def update(self, page_id: str, page_in: PageUpdate) -> Page:
        """Change some fields of a page; the result is checked as a whole (ValidationError)."""
        async with self._writing() as session:
            current = _found(await repo.get_page(session, page_id, cipher=self.cipher))
            page = updated(current, page_in).to_page()
            await repo.replace_page(session, page, cipher=self.cipher)
        await self._refresh()
        return page

    async def delete(self, page_id: str) -> None:
        """Remove a page and its API keys."""
        async with self._writing() as session:
            if not await repo.delete_page(session, page_id):
                raise PageNotFound(page_id)
        await self._refresh()

    async def issue_key(self, page_id: str) -> tuple[str, ApiKeyRead]:
        """A new API key for a source: the key in full (shown once) and its stored row."""
        key = new_key()
        stored = ApiKey(str(uuid.uuid4()), page_id, key_prefix(key), key_digest(key))
        async with self._writing() as session:
            if (
                _found(await repo.get_page(session, page_id, cipher=self.cipher)).platform
                != Platform.API
            ):
                raise NotASource(page_id)
            row = await keys.add_key(session, stored)
        await self._refresh()
        return key, row

    async def list_keys(self, page_id: str) -> list[ApiKeyRead]:
        async with self.sessions() as session:
            _found(await repo.get_page(session, page_id, cipher=self.cipher))
            return await keys.list_keys(session, page_id)

    async def revoke_key(self, page_id: str, key_id: str) -> ApiKeyRead:
        """Revoke a key: refused from the next request on (other replicas: after a refresh)."""
        async with self._writing() as session:
            row = await keys.revoke_key(session, page_id, key_id)
        if row is None:
            raise PageNotFound(f"{page_id}/{key_id}")
        await self._refresh()
        return row

    async def _refresh(self) -> None:
        # The change is committed: a failed refresh must not turn it into an error answer;
        # the loop applies it on its next round.
        try:
            await self.refresher.refresh()
        except (SQLAlchemyError, OSError) as exc:
            log.warning(
                "page registry refresh after a change failed", extra={"error": type(exc).__name__}
            )

    def _writing(self) -> AbstractAsyncContextManager[AsyncSession]:
        return transaction(self.sessions)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session in a transaction whose unique violations become PageConflict."""
    try:
        async with sessions() as session, session.begin():
            yield session
    except IntegrityError as error:
        # `from None`: the database's message would carry the duplicate value into a traceback.
        raise PageConflict(_conflict(error)) from None


def _found(page: Page | None) -> Page:
    if page is None:
        raise PageNotFound()
    return page


def _conflict(error: IntegrityError) -> str:
    text = str(error.orig)
    return next((m for name, m in _CONFLICTS.items() if name in text), "conflicts with a page")
