"""The generic API's authentication: a source's API key, as `Authorization: Bearer <key>` or
`X-Api-Key: <key>`. The key names its source (a page of platform `api`); no database query."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from ingest import metrics
from ingest.domain.pages import Page
from ingest.entrypoints.admin_auth import bearer
from ingest.entrypoints.deps import ingest_of

MAX_KEY_LENGTH = 1024
# The key is read from the request, not declared as header parameters: FastAPI's validation of
# the two declared headers was 7-10 % of ingest's CPU per appeal (security dependencies cost
# more still). The OpenAPI document names both headers all the same.
API_KEY_HEADERS = {
    "parameters": [
        {"name": name, "in": "header", "required": False, "description": text,
         "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH}}
        for name, text in (
            ("Authorization", "Bearer <the source's API key>"),
            ("X-Api-Key", "the source's API key, instead of Authorization"),
        )
    ]
}  # fmt: skip


def _refuse(reason: str, detail: str) -> HTTPException:
    metrics.CALLBACKS_REJECTED.labels(platform="api", reason=reason).inc()
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def _api_source(request: Request) -> Page:
    headers = request.headers
    key = bearer(headers.get("authorization")) or headers.get("x-api-key")
    if not key:
        raise _refuse("no_api_key", "an API key is required: Authorization: Bearer <key>")
    source = ingest_of(request).pages.source_of(key) if len(key) <= MAX_KEY_LENGTH else None
    if source is None:
        raise _refuse("bad_api_key", "unknown or revoked API key")
    return source


ApiSource = Annotated[Page, Depends(_api_source)]
