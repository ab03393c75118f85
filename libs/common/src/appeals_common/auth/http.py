"""The FastAPI edge of authentication: a bearer token (or the console's session cookie) in,
a Principal out, or 401 with `WWW-Authenticate`."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from appeals_common.auth.principal import Principal
from appeals_common.auth.tokens import InvalidToken, TokenVerifier

SESSION_COOKIE = "appeals_session"


def bearer_token(request: Request) -> str | None:
    """The token from `Authorization: Bearer`, else from the console's session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.cookies.get(SESSION_COOKIE) or None


async def current_principal(request: Request) -> Principal:
    """Who calls; every endpoint but health and metrics depends on this."""
    token = bearer_token(request)
    if token is None:
        raise _unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.service.verifier
    try:
        return await verifier.verify(token)
    except InvalidToken as error:
        raise _unauthorized(str(error)) from None


def _unauthorized(reason: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        reason,
        headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{reason}"'},
    )


PrincipalDep = Annotated[Principal, Depends(current_principal)]
