"""SQL access to the API keys of generic-API sources (digests only); inside the caller's
transaction, and bumping the registry version like every registry write."""

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ingest.adapters.orm import api_keys
from ingest.adapters.page_repository import bump_version
from ingest.domain.api_keys import ApiKey
from ingest.domain.page_views import ApiKeyRead

_READ = (
    api_keys.c.id,
    api_keys.c.page_id,
    api_keys.c.prefix,
    api_keys.c.created_at,
    api_keys.c.revoked_at,
)


async def add_key(session: AsyncSession, key: ApiKey) -> ApiKeyRead:
    """Store a key's digest; the stored row (without the digest). Known digests are kept."""
    await session.execute(
        insert(api_keys)
        .values(id=key.id, page_id=key.page_id, prefix=key.prefix, digest=key.digest)
        .on_conflict_do_nothing(index_elements=[api_keys.c.digest])
    )
    await bump_version(session)
    row = (await session.execute(select(*_READ).where(api_keys.c.digest == key.digest))).one()
    return ApiKeyRead(**row._mapping)


async def list_keys(session: AsyncSession, page_id: str) -> list[ApiKeyRead]:
    query = select(*_READ).where(api_keys.c.page_id == page_id).order_by(api_keys.c.created_at)
    return [ApiKeyRead(**row._mapping) for row in await session.execute(query)]


async def revoke_key(session: AsyncSession, page_id: str, key_id: str) -> ApiKeyRead | None:
    """Mark a key revoked (kept for the record); None when the page has no such key."""
    result = await session.execute(
        update(api_keys)
        .where(api_keys.c.page_id == page_id, api_keys.c.id == key_id)
        .values(revoked_at=func.coalesce(api_keys.c.revoked_at, func.now()))
        .returning(*_READ)
    )
    row = result.first()
    if row is None:
        return None
    await bump_version(session)
    return ApiKeyRead(**row._mapping)
