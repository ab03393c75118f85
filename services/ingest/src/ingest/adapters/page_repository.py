"""SQL access to the page registry; every function runs inside the caller's transaction.

Writes also bump the registry version, which is how other replicas learn of them. Credentials
are encrypted on the way in and decrypted on the way out: callers see plaintext `Page`s only.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from appeals_common.events import Platform
from ingest.adapters.credential_cipher import CredentialCipher, is_encrypted
from ingest.adapters.orm import api_keys, pages, registry_version
from ingest.domain.api_keys import ApiKey
from ingest.domain.pages import Page, PageRegistry

log = logging.getLogger(__name__)

# Every credential of a page (the fields kept out of `repr`): stored encrypted.
ENCRYPTED_COLUMNS = (
    "secret",
    "confirmation",
    "url_token",
    "ok_application_key",
    "ok_access_token",
    "ok_session_secret",
    "max_bot_token",
    "vk_access_token",
    "telegram_bot_token",
)
# Exactly the Page's fields: other columns (timestamps, the token digest) stay in SQL.
_PAGE_COLUMNS = [pages.c[f.name] for f in fields(Page)]


def _page(row: Row[Any], cipher: CredentialCipher) -> Page:
    values = dict(row._mapping)
    for name in ENCRYPTED_COLUMNS:
        if values[name] is not None:
            values[name] = cipher.decrypt(values[name])
    return Page(**{**values, "platform": Platform(values["platform"])})


def _values(page: Page, cipher: CredentialCipher) -> dict[str, Any]:
    values: dict[str, Any] = {**vars(page), "platform": str(page.platform)}
    for name in ENCRYPTED_COLUMNS:
        if values[name] is not None:
            values[name] = cipher.encrypt(values[name])
    values["url_token_digest"] = _digest(page.url_token)
    return values


def _digest(url_token: str | None) -> str | None:
    # The same as migration 0003's backfill: sha256 of the UTF-8 bytes, in hex.
    return hashlib.sha256(url_token.encode()).hexdigest() if url_token is not None else None


async def version(session: AsyncSession) -> int:
    """The registry's version: it moves with every committed change."""
    return int(await session.scalar(select(registry_version.c.version)) or 0)


async def bump_version(session: AsyncSession) -> None:
    await session.execute(
        update(registry_version).values(
            version=registry_version.c.version + 1, changed_at=func.now()
        )
    )


async def load_registry(session: AsyncSession, *, cipher: CredentialCipher) -> PageRegistry:
    """Every page and every active API key, as the snapshot the hot path reads."""
    rows = (await session.execute(select(*_PAGE_COLUMNS))).all()
    _warn_of_plaintext(rows)
    keys = (
        await session.execute(
            select(api_keys.c.id, api_keys.c.page_id, api_keys.c.prefix, api_keys.c.digest).where(
                api_keys.c.revoked_at.is_(None)
            )
        )
    ).all()
    return PageRegistry([_page(r, cipher) for r in rows], [ApiKey(*k) for k in keys])


def _warn_of_plaintext(rows: Sequence[Row[Any]]) -> None:
    legacy = sum(
        1
        for row in rows
        for name in ENCRYPTED_COLUMNS
        if row._mapping[name] is not None and not is_encrypted(row._mapping[name])
    )
    if legacy:
        log.warning(
            "page credentials stored in plaintext: run `python -m ingest.pages rekey`",
            extra={"credentials": legacy},
        )


async def get_page(session: AsyncSession, page_id: str, *, cipher: CredentialCipher) -> Page | None:
    row = (await session.execute(select(*_PAGE_COLUMNS).where(pages.c.id == page_id))).first()
    return _page(row, cipher) if row else None


async def list_pages(
    session: AsyncSession,
    *,
    platform: Platform | None,
    body_id: str | None,
    limit: int,
    offset: int,
    cipher: CredentialCipher,
) -> tuple[int, list[Page]]:
    """One page of the registry in id order, and how many match in all."""
    conditions = []
    if platform is not None:
        conditions.append(pages.c.platform == str(platform))
    if body_id is not None:
        conditions.append(pages.c.body_id == body_id)
    total = await session.scalar(select(func.count()).select_from(pages).where(*conditions))
    query = select(*_PAGE_COLUMNS).where(*conditions).order_by(pages.c.id)
    rows = (await session.execute(query.limit(limit).offset(offset))).all()
    return int(total or 0), [_page(r, cipher) for r in rows]


async def insert_page(session: AsyncSession, page: Page, *, cipher: CredentialCipher) -> None:
    """Add a page; IntegrityError when its id, platform id or URL token is taken."""
    await session.execute(insert(pages).values(**_values(page, cipher)))
    await bump_version(session)


async def replace_page(session: AsyncSession, page: Page, *, cipher: CredentialCipher) -> None:
    """Store `page` over the page with its id."""
    values = {k: v for k, v in _values(page, cipher).items() if k != "id"}
    await session.execute(
        update(pages).where(pages.c.id == page.id).values(**values, updated_at=func.now())
    )
    await bump_version(session)


async def upsert_page(session: AsyncSession, page: Page, *, cipher: CredentialCipher) -> None:
    """Insert or overwrite by id (the seed import)."""
    values = _values(page, cipher)
    changes = {k: v for k, v in values.items() if k != "id"}
    await session.execute(
        insert(pages)
        .values(**values)
        .on_conflict_do_update(
            index_elements=[pages.c.id], set_={**changes, "updated_at": func.now()}
        )
    )
    await bump_version(session)


async def delete_page(session: AsyncSession, page_id: str) -> bool:
    """Remove a page and its API keys; False when there was none."""
    result = await session.execute(
        pages.delete().where(pages.c.id == page_id).returning(pages.c.id)
    )
    found = result.first() is not None
    if found:
        await bump_version(session)
    return found


async def rekey(session: AsyncSession, *, cipher: CredentialCipher) -> int:
    """Re-encrypt every page's credentials with the cipher's first key (legacy plaintext too);
    how many values were rewritten. Rows are locked: no admin change in between is lost."""
    rows = (await session.execute(select(*_PAGE_COLUMNS).with_for_update())).all()
    rewritten = 0
    for row in rows:
        values = {n: row._mapping[n] for n in ENCRYPTED_COLUMNS if row._mapping[n] is not None}
        changes: dict[str, str | None] = {n: cipher.rekeyed(v) for n, v in values.items()}
        # Rows written by the release before 0003 during its rollout have no digest yet.
        url_token = cipher.decrypt(values["url_token"]) if "url_token" in values else None
        changes["url_token_digest"] = _digest(url_token)
        await session.execute(update(pages).where(pages.c.id == row.id).values(**changes))
        rewritten += len(values)
    await bump_version(session)
    return rewritten
