"""Signing in through the region's OIDC issuer: authorization code with PKCE (S256).

The state and the code verifier wait for the callback in a short-lived httpOnly cookie on the
callback's path; the access token becomes the `appeals_session` cookie the API also reads.
"""

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from appeals_common.auth.http import SESSION_COOKIE
from appeals_common.auth.tokens import InvalidToken
from router.console import texts
from router.console.web import error_page, render, service

CLIENT_ID = "appeals-console"
LOGIN_COOKIE = "console_login"
LOGIN_PATH = "/console/auth"
LOGIN_TTL_S = 600

router = APIRouter(prefix="/console", include_in_schema=False)


async def discovery(request: Request) -> dict[str, Any]:
    """The issuer's endpoints, from its discovery document."""
    issuer = service(request).settings.oidc_issuer.rstrip("/")
    response = await service(request).http.get(
        f"{issuer}/.well-known/openid-configuration", timeout=5
    )
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


@router.get("/login")
async def login(request: Request) -> Response:
    """Off to the issuer's login form, remembering state and verifier for the callback."""
    try:
        endpoints = await discovery(request)
    except (httpx.HTTPError, ValueError):
        return error_page(request, 503, texts.t.login_unavailable)
    state, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": str(request.url_for("console_callback")),
        "scope": "openid profile",
        "state": state,
        "code_challenge": challenge(verifier),
        "code_challenge_method": "S256",
    }
    response = RedirectResponse(f"{endpoints['authorization_endpoint']}?{urlencode(query)}", 303)
    response.set_cookie(
        LOGIN_COOKIE,
        f"{state}.{verifier}",
        max_age=LOGIN_TTL_S,
        path=LOGIN_PATH,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


@router.get("/auth/callback", name="console_callback")
async def callback(request: Request, code: str = "", state: str = "") -> Response:
    """Check the state, redeem the code, verify the token, start the session."""
    expected, _, verifier = request.cookies.get(LOGIN_COOKIE, "").partition(".")
    if not (code and expected and secrets.compare_digest(expected.encode(), state.encode())):
        return _failed(request)
    try:
        token, lifetime = await _redeem(request, code, verifier)
        await service(request).verifier.verify(token)
    except (httpx.HTTPError, KeyError, ValueError, InvalidToken):
        return _failed(request)
    response = RedirectResponse("/console/", 303)
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=lifetime,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


async def _redeem(request: Request, code: str, verifier: str) -> tuple[str, int]:
    endpoints = await discovery(request)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": str(request.url_for("console_callback")),
        "client_id": CLIENT_ID,
        "code_verifier": verifier,
    }
    response = await service(request).http.post(endpoints["token_endpoint"], data=form, timeout=5)
    response.raise_for_status()
    body = response.json()
    return str(body["access_token"]), int(body.get("expires_in", 300))


def _failed(request: Request) -> Response:
    response = error_page(request, 400, texts.t.login_failed)
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
    return response


@router.api_route("/logout", methods=["GET", "POST"])
async def logout(request: Request) -> Response:
    """End the console session here, then at the issuer."""
    back = str(request.url_for("console_signed_out"))
    try:
        end = (await discovery(request)).get("end_session_endpoint")
    except (httpx.HTTPError, ValueError):
        end = None
    target = f"{end}?{urlencode({'post_logout_redirect_uri': back})}" if end else back
    response = RedirectResponse(target, 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/signed-out", name="console_signed_out")
async def signed_out(request: Request) -> Response:
    return render(request, "signed_out.html", {})
