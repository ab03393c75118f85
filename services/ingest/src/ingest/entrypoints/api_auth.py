"""The generic API's authentication: a source's API key, as `Authorization: Bearer <key>` or
`X-Api-Key: <key>`. The key names its source (a page of platform `api`); no database query."""

from typing import Annotated

from fastapi import Depends, Header, HTTPException, status

from ingest import metrics
from ingest.domain.pages import Page
from ingest.entrypoints.admin_auth import Authorization, bearer
from ingest.entrypoints.deps import IngestDep

ApiKeyHeader = Annotated[str | None, Header(alias="X-Api-Key", max_length=1024)]


def _refuse(reason: str, detail: str) -> HTTPException:
    metrics.CALLBACKS_REJECTED.labels(platform="api", reason=reason).inc()
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def _api_source(
    ingest: IngestDep, authorization: Authorization = None, x_api_key: ApiKeyHeader = None
) -> Page:
    key = bearer(authorization) or x_api_key
    if not key:
        raise _refuse("no_api_key", "an API key is required: Authorization: Bearer <key>")
    source = ingest.pages.source_of(key)
    if source is None:
        raise _refuse("bad_api_key", "unknown or revoked API key")
    return source


ApiSource = Annotated[Page, Depends(_api_source)]
