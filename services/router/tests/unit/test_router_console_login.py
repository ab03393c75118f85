"""Signing in to the console: PKCE S256 and state on the way out, checked on the way back."""

import base64
import hashlib
from collections.abc import AsyncIterator
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from appeals_common.auth import Principal, Role
from appeals_common.auth.tokens import InvalidToken
from router import console

ISSUER = "http://idp.test"
OPERATOR = Principal("o-1", "cur", "Смирнова Ольга", frozenset({Role.CUR_OPERATOR}))


class FakeVerifier:
    async def verify(self, token: str) -> Principal:
        if token != "good-token":
            raise InvalidToken("unknown")
        return OPERATOR


class Issuer:
    """The identity provider's discovery and token endpoints, recording what was sent."""

    def __init__(self) -> None:
        self.token_forms: list[dict[str, list[str]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "end_session_endpoint": f"{ISSUER}/logout",
                },
            )
        if request.url.path == "/token":
            self.token_forms.append(parse_qs(request.content.decode()))
            return httpx.Response(200, json={"access_token": "good-token", "expires_in": 300})
        return httpx.Response(404)


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
async def client(issuer: Issuer) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(console.router)
    app.state.service = SimpleNamespace(
        verifier=FakeVerifier(),
        settings=SimpleNamespace(oidc_issuer=ISSUER),
        http=httpx.AsyncClient(transport=httpx.MockTransport(issuer)),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8003") as test:
        yield test


async def _login(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.get("/console/login")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/authorize"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


async def test_the_login_carries_state_and_an_s256_challenge(client: httpx.AsyncClient) -> None:
    query = await _login(client)
    assert query["client_id"] == "appeals-console" and query["response_type"] == "code"
    assert query["redirect_uri"] == "http://127.0.0.1:8003/console/auth/callback"
    assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 20
    state, _, verifier = client.cookies["console_login"].partition(".")
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert (state, query["code_challenge"]) == (query["state"], digest.decode())


async def test_the_callback_refuses_a_wrong_state(
    client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await _login(client)
    response = await client.get("/console/auth/callback?code=c1&state=forged")
    assert response.status_code == 400 and "Войти не удалось" in response.text
    assert issuer.token_forms == []
    assert not any("appeals_session=" in c for c in response.headers.get_list("set-cookie"))


async def test_the_callback_redeems_the_code_and_starts_the_session(
    client: httpx.AsyncClient, issuer: Issuer
) -> None:
    query = await _login(client)
    verifier = client.cookies["console_login"].partition(".")[2]
    response = await client.get(f"/console/auth/callback?code=c1&state={query['state']}")
    assert (response.status_code, response.headers["location"]) == (303, "/console/")
    [form] = issuer.token_forms
    assert (form["code"], form["code_verifier"], form["grant_type"]) == (
        ["c1"],
        [verifier],
        ["authorization_code"],
    )
    session = next(c for c in response.headers.get_list("set-cookie") if "appeals_session=" in c)
    assert "good-token" in session and "HttpOnly" in session and "SameSite=lax" in session


async def test_logout_clears_the_session_and_ends_it_at_the_issuer(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/console/logout")
    assert response.headers["location"].startswith(f"{ISSUER}/logout?post_logout_redirect_uri=")
    cleared = next(c for c in response.headers.get_list("set-cookie") if "appeals_session=" in c)
    assert "Max-Age=0" in cleared
