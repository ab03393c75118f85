"""The dev IdP's HTTP app: discovery, JWKS, the login form, the token endpoint, logout.

    uvicorn tools.dev_idp.app:create_app --factory --port 8005

Settings come from DEV_IDP_* when the app is built (tools/dev_idp/settings.py).
"""

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, cast
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

from appeals_common.logs import configure_logging
from tools.dev_idp import pages
from tools.dev_idp.authorize import AuthorizeRequest, request_error, unsafe_problem, with_query
from tools.dev_idp.codes import CodeStore, Grant, OAuthError
from tools.dev_idp.keys import ALGORITHM, KeyStore
from tools.dev_idp.settings import IdpSettings
from tools.dev_idp.tokens import access_token_claims, id_token_claims, sign
from tools.dev_idp.users import Directory, load_directory

log = logging.getLogger("dev_idp")
FORM = "application/x-www-form-urlencoded"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass(frozen=True)
class Idp:
    settings: IdpSettings
    keys: KeyStore
    directory: Directory
    codes: CodeStore
    clock: Callable[[], float]

    def tokens(self, grant: Grant) -> dict[str, Any]:
        """The token response for a redeemed code."""
        s, now, key = self.settings, int(self.clock()), self.keys.current()
        identity, client_id = grant.user.identity(), grant.client_id
        access = access_token_claims(
            s, identity, client_id=client_id, now=now, ttl=s.token_ttl_seconds
        )
        id_token = id_token_claims(s, identity, client_id=client_id, now=now, nonce=grant.nonce)
        return {
            "access_token": sign(access, key),
            "id_token": sign(id_token, key),
            "token_type": "Bearer",
            "expires_in": s.token_ttl_seconds,
        }


def get_idp(request: Request) -> Idp:
    return cast(Idp, request.app.state.idp)


IdpDep = Annotated[Idp, Depends(get_idp)]
router = APIRouter()


@router.get("/.well-known/openid-configuration")
async def discovery(idp: IdpDep) -> dict[str, Any]:
    base = idp.settings.base_url
    return {
        "issuer": idp.settings.issuer,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "jwks_uri": f"{base}/jwks",
        "end_session_endpoint": f"{base}/logout",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": ["openid", "profile"],
        "claims_supported": ["sub", "name", "preferred_username", "realm_access", "agencies"],
    }


@router.get("/jwks")
async def jwks(idp: IdpDep) -> dict[str, Any]:
    return idp.keys.jwks()


@router.get("/authorize")
async def authorize_form(request: Request, idp: IdpDep) -> Response:
    auth = AuthorizeRequest.from_params(request.query_params)
    refusal = _refusal(auth, idp)
    if refusal is not None:
        return refusal
    return pages.login(auth, idp.directory.users, username=auth.login_hint)


@router.post("/authorize")
async def authorize_login(request: Request, idp: IdpDep) -> Response:
    form = await _form(request)
    auth = AuthorizeRequest.from_params(form)  # hidden fields: checked again, never trusted
    refusal = _refusal(auth, idp)
    if refusal is not None:
        return refusal
    username = form.get("username", "")
    user = idp.directory.user(username)
    if user is None or not user.password_matches(form.get("password", "")):
        log.warning("login refused", extra={"username": username, "client_id": auth.client_id})
        return pages.login(
            auth,
            idp.directory.users,
            username=username,
            error=pages.WRONG_PASSWORD,
            status_code=401,
        )
    code = idp.codes.issue(
        user,
        client_id=auth.client_id,
        redirect_uri=auth.redirect_uri,
        code_challenge=auth.code_challenge or None,
        nonce=auth.nonce or None,
    )
    log.info("login", extra={"username": username, "client_id": auth.client_id})
    back = with_query(auth.redirect_uri, {"code": code, "state": auth.state})
    return RedirectResponse(back, status_code=303)


@router.post("/token")
async def token(request: Request, idp: IdpDep) -> JSONResponse:
    form = await _form(request)
    try:
        grant = _redeem(form, idp)
    except OAuthError as error:
        body = {"error": error.error, "error_description": error.description}
        return JSONResponse(body, status_code=400, headers=NO_STORE)
    return JSONResponse(idp.tokens(grant), headers=NO_STORE)


@router.get("/logout")
async def logout(idp: IdpDep, post_logout_redirect_uri: str = "", state: str = "") -> Response:
    # No session is kept here (every login asks for the password), so logging out is a redirect.
    if post_logout_redirect_uri and idp.directory.allows_logout_redirect(post_logout_redirect_uri):
        return RedirectResponse(with_query(post_logout_redirect_uri, {"state": state}), 303)
    return pages.logged_out()


@router.get("/health/live")
async def live() -> PlainTextResponse:
    return PlainTextResponse("ok")


def _refusal(auth: AuthorizeRequest, idp: Idp) -> Response | None:
    """The answer when the login cannot go on: a page, or an error sent back to the client."""
    problem = unsafe_problem(auth, idp.directory)
    if problem is not None:  # never redirect to a URI the client did not register
        return pages.problem(problem)
    error = request_error(auth)
    if error is not None:
        params = {"error": error[0], "error_description": error[1], "state": auth.state}
        return RedirectResponse(with_query(auth.redirect_uri, params), status_code=303)
    return None


def _redeem(form: dict[str, str], idp: Idp) -> Grant:
    if form.get("grant_type") != "authorization_code":
        raise OAuthError("unsupported_grant_type", "only authorization_code is supported")
    if not form.get("code") or not form.get("redirect_uri"):
        raise OAuthError("invalid_request", "code and redirect_uri are required")
    if idp.directory.client(form.get("client_id", "")) is None:
        raise OAuthError("invalid_client", "unknown client_id")
    return idp.codes.redeem(
        form["code"],
        client_id=form["client_id"],
        redirect_uri=form["redirect_uri"],
        code_verifier=form.get("code_verifier"),
    )


async def _form(request: Request) -> dict[str, str]:
    """A form-encoded body as a dict; empty for any other content type."""
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
        return {}
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def create_app(
    settings: IdpSettings | None = None, *, clock: Callable[[], float] = time.time
) -> FastAPI:
    """The app; settings from the environment unless given (tests pass their own)."""
    settings = settings or IdpSettings()
    idp = Idp(
        settings=settings,
        keys=KeyStore(settings.key_dir),
        directory=load_directory(settings.users_file),
        codes=CodeStore(ttl_seconds=settings.code_ttl_seconds, clock=clock),
        clock=clock,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging("dev-idp")
        key = idp.keys.current()  # made now, not on the first login
        log.info("dev IdP ready", extra={"issuer": settings.issuer, "kid": key.kid})
        yield

    # No /docs: Swagger UI would load its scripts from a CDN.
    app = FastAPI(title="dev IdP", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.idp = idp
    app.include_router(router)
    return app
