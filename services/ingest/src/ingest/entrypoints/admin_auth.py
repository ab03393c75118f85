"""The admin API's authentication: `Authorization: Bearer <INGEST_ADMIN_TOKEN>`."""

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, status

from ingest.entrypoints.deps import IngestDep
from ingest.page_admin import PageAdmin

Authorization = Annotated[str | None, Header(max_length=1024)]


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def _page_admin(ingest: IngestDep, authorization: Authorization = None) -> PageAdmin:
    token = bearer(authorization)
    expected = ingest.settings.admin_token.get_secret_value()
    # Bytes: compare_digest refuses non-ASCII str, and the header comes from outside.
    if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "the admin API needs Authorization: Bearer <INGEST_ADMIN_TOKEN>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if ingest.store is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "no page registry database")
    return ingest.store.admin


AdminDep = Annotated[PageAdmin, Depends(_page_admin)]
