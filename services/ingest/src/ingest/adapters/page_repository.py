"""SQL access to the page registry; every function runs inside the caller's transaction.

Writes also bump the registry version, which is how other replicas learn of them.
"""

from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from appeals_common.events import Platform
from ingest.adapters.orm import api_keys, pages, registry_version
from ingest.domain.api_keys import ApiKey
from ingest.domain.pages import Page, PageRegistry

_PAGE_COLUMNS = [c for c in pages.c if c.name not in ("created_at", "updated_at")]


def _page(row: Row[Any]) -> Page:
    values = dict(row._mapping)
    return Page(**{**values, "platform": Platform(values["platform"])})


def _values(page: Page) -> dict[str, Any]:
    return {**vars(page), "platform": str(page.platform)}


async def version(session: AsyncSession) -> int:
    """The registry's version: it moves with every committed change."""
    return int(await session.scalar(select(registry_version.c.version)) or 0)


async def bump_version(session: AsyncSession) -> None:
    await session.execute(
        update(registry_version).values(
            version=registry_version.c.version + 1, changed_at=func.now()
        )
    )


async def load_registry(session: AsyncSession) -> PageRegistry:
    """Every page and every active API key, as the snapshot the hot path reads."""
    rows = (await session.execute(select(*_PAGE_COLUMNS))).all()
    keys = (
        await session.execute(
            select(api_keys.c.id, api_keys.c.page_id, api_keys.c.prefix, api_keys.c.digest).where(
                api_keys.c.revoked_at.is_(None)
            )
        )
    ).all()
    return PageRegistry([_page(r) for r in rows], [ApiKey(*k) for k in keys])


async def get_page(session: AsyncSession, page_id: str) -> Page | None:
    row = (await session.execute(select(*_PAGE_COLUMNS).where(pages.c.id == page_id))).first()
    return _page(row) if row else None


async def list_pages(
    session: AsyncSession,
    *,
    platform: Platform | None,
    body_id: str | None,
    limit: int,
    offset: int,
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
    return int(total or 0), [_page(r) for r in rows]


async def insert_page(session: AsyncSession, page: Page) -> None:
    """Add a page; IntegrityError when its id, platform id or URL token is taken."""
    await session.execute(insert(pages).values(**_values(page)))
    await bump_version(session)


async def replace_page(session: AsyncSession, page: Page) -> None:
    """Store `page` over the page with its id."""
    values = {k: v for k, v in _values(page).items() if k != "id"}
    await session.execute(
        update(pages).where(pages.c.id == page.id).values(**values, updated_at=func.now())
    )
    await bump_version(session)


async def upsert_page(session: AsyncSession, page: Page) -> None:
    """Insert or overwrite by id (the seed import)."""
    values = _values(page)
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
