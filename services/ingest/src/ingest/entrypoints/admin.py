"""The page registry's admin API (`/admin/v1/pages`): pages and the API keys of sources.

Credentials are write-only: answers say whether each is set and, when long enough, its last
4 characters. Changes apply on this replica at once, on the others within
INGEST_PAGE_REFRESH_SECONDS.
"""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from appeals_common.events import Platform
from ingest.domain.page_fields import PageCreate, PageUpdate
from ingest.domain.page_views import ApiKeyIssued, ApiKeyRead, PageList, PageRead, page_read
from ingest.entrypoints.admin_auth import AdminDep
from ingest.page_admin import NotASource, PageConflict, PageNotFound

# A 422 never echoes the input (appeals_common.web): here it would hold credentials.
router = APIRouter(prefix="/admin/v1/pages", tags=["admin"])
# Every registered id has this form (PageCreate); anything else is no page, and a NUL byte
# would not even reach PostgreSQL as a query parameter.
PageId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
KeyId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.-]+$")]


@router.get("")
async def list_pages(
    admin: AdminDep,
    platform: Platform | None = None,
    body_id: Annotated[str | None, Query(max_length=128, pattern=r"^[^\x00]*$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    # PostgreSQL's OFFSET is a bigint: beyond it, a 422 rather than the driver's error (a 500).
    offset: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> PageList:
    """Pages in id order, optionally of one platform and/or one body."""
    total, pages = await admin.list_pages(
        platform=platform, body_id=body_id, limit=limit, offset=offset
    )
    return PageList(total=total, items=[page_read(p) for p in pages])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_page(page_in: PageCreate, admin: AdminDep) -> PageRead:
    """Register a page; 409 when its id, platform and external_id, or url_token is taken."""
    try:
        return page_read(await admin.create(page_in))
    except PageConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None


@router.get("/{page_id}")
async def get_page(page_id: PageId, admin: AdminDep) -> PageRead:
    try:
        return page_read(await admin.get_page(page_id))
    except PageNotFound:
        raise _not_found(page_id) from None


@router.put("/{page_id}")
async def update_page(page_id: PageId, page_in: PageUpdate, admin: AdminDep) -> PageRead:
    """Change the fields sent (null clears an optional one); the result must still be valid."""
    try:
        return page_read(await admin.update(page_id, page_in))
    except PageNotFound:
        raise _not_found(page_id) from None
    except PageConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_input=False)) from None


@router.delete("/{page_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_page(page_id: PageId, admin: AdminDep) -> Response:
    """Remove a page and its API keys: its callbacks are refused from then on."""
    try:
        await admin.delete(page_id)
    except PageNotFound:
        raise _not_found(page_id) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{page_id}/api-keys")
async def list_api_keys(page_id: PageId, admin: AdminDep) -> list[ApiKeyRead]:
    """A source's keys, revoked ones included, by prefix (never the key)."""
    try:
        return await admin.list_keys(page_id)
    except PageNotFound:
        raise _not_found(page_id) from None


@router.post("/{page_id}/api-keys", status_code=status.HTTP_201_CREATED)
async def issue_api_key(page_id: PageId, admin: AdminDep) -> ApiKeyIssued:
    """A new key for a source (a page of platform `api`): the answer is the only time it shows."""
    try:
        key, stored = await admin.issue_key(page_id)
    except PageNotFound:
        raise _not_found(page_id) from None
    except NotASource:
        raise HTTPException(422, "API keys are for pages of platform api") from None
    return ApiKeyIssued(**stored.model_dump(), key=key)


@router.delete("/{page_id}/api-keys/{key_id}")
async def revoke_api_key(page_id: PageId, key_id: KeyId, admin: AdminDep) -> ApiKeyRead:
    """Revoke a key (kept, marked revoked); requests with it get 401."""
    try:
        return await admin.revoke_key(page_id, key_id)
    except PageNotFound:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"page {page_id!r} has no API key {key_id!r}"
        ) from None


def _not_found(page_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"page {page_id!r} is not registered")
