"""The dev IdP (tools/dev_idp): the OIDC endpoints through its ASGI app, the CLI as a process.

Tokens are checked with PyJWT against the keys the app publishes, and once through the
services' own verifier (appeals_common.auth), which is the contract that matters.
"""

import base64
import hashlib
import os
import secrets
import stat
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
import yaml

from appeals_common.auth import Role
from appeals_common.auth.settings import OidcSettings
from appeals_common.auth.tokens import TokenVerifier
from tools.dev_idp import IdpSettings, create_app, load_directory
from tools.dev_idp.__main__ import main as cli

ROOT = Path(__file__).resolve().parents[1]
ISSUER = "http://127.0.0.1:18999"
CONSOLE = "appeals-console"
CALLBACK = "http://127.0.0.1:8003/auth/callback?from=queue"
USERS = load_directory(ROOT / "config" / "dev-users.yaml")


class Clock:
    """Starts at the real time: PyJWT checks the tokens against the real clock."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> IdpSettings:
    return IdpSettings(
        issuer=ISSUER,
        audience="appeals",
        token_ttl_seconds=3600,
        code_ttl_seconds=60,
        key_dir=tmp_path / "idp",
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def idp(settings: IdpSettings, clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(settings, clock=clock))
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as client:
        yield client


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_params(challenge: str, **overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CONSOLE,
        "redirect_uri": CALLBACK,
        "scope": "openid",
        "state": "st-42",
        "nonce": "n-7",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return params | overrides


async def login(
    idp: httpx.AsyncClient, challenge: str, user: str = "roads-staff", password: str = "demo"
) -> httpx.Response:
    form = authorize_params(challenge) | {"username": user, "password": password}
    return await idp.post("/authorize", data=form)


async def code_for(idp: httpx.AsyncClient, challenge: str, user: str = "roads-staff") -> str:
    response = await login(idp, challenge, user)
    assert response.status_code == 303, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


async def exchange(idp: httpx.AsyncClient, code: str, verifier: str | None) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    form |= {"client_id": CONSOLE} | ({"code_verifier": verifier} if verifier else {})
    return await idp.post("/token", data=form)


async def verify(idp: httpx.AsyncClient, token: str, audience: str = "appeals") -> dict[str, Any]:
    """Decode `token` with the key its kid names in the app's JWKS, checking iss and aud."""
    keys = {k["kid"]: jwt.PyJWK(k) for k in (await idp.get("/jwks")).json()["keys"]}
    key = keys[jwt.get_unverified_header(token)["kid"]]
    claims: dict[str, Any] = jwt.decode(
        token, key, algorithms=["RS256"], audience=audience, issuer=ISSUER
    )
    return claims


async def test_discovery_names_the_endpoints_under_the_issuer(idp: httpx.AsyncClient) -> None:
    doc = (await idp.get("/.well-known/openid-configuration")).json()

    assert doc["issuer"] == ISSUER
    assert doc["jwks_uri"] == f"{ISSUER}/jwks"
    assert doc["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert doc["token_endpoint"] == f"{ISSUER}/token"
    assert doc["end_session_endpoint"] == f"{ISSUER}/logout"
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert "authorization_code" in doc["grant_types_supported"]


async def test_jwks_publishes_one_public_rsa_signing_key(idp: httpx.AsyncClient) -> None:
    (key,) = (await idp.get("/jwks")).json()["keys"]

    assert key["kty"] == "RSA" and key["use"] == "sig" and key["alg"] == "RS256"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys()  # no private parts


async def test_login_page_is_russian_self_contained_and_lists_the_demo_users(
    idp: httpx.AsyncClient,
) -> None:
    response = await idp.get("/authorize", params=authorize_params(pkce()[1]))

    assert response.status_code == 200
    page = response.text
    assert 'lang="ru"' in page and "Пароль" in page and "Войти" in page
    assert 'name="username"' in page and 'type="password"' in page
    for user in USERS.users:
        assert user.username in page and user.name in page
    assert "оператор ЦУР" in page and "сотрудник ведомства" in page
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_a_picked_user_is_filled_in(idp: httpx.AsyncClient) -> None:
    params = authorize_params(pkce()[1], login_hint="zhkh-staff")

    page = (await idp.get("/authorize", params=params)).text

    assert 'value="zhkh-staff"' in page


async def test_code_flow_with_pkce_gives_tokens_in_keycloaks_shape(
    idp: httpx.AsyncClient,
) -> None:
    verifier, challenge = pkce()

    response = await login(idp, challenge)
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK.split("?")[0]
    assert query["state"] == ["st-42"] and query["from"] == ["queue"]
    tokens = await exchange(idp, query["code"][0], verifier)

    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    roads = USERS.user("roads-staff")
    assert roads is not None
    access = await verify(idp, body["access_token"])
    assert access["sub"] == roads.sub and access["preferred_username"] == "roads-staff"
    assert access["name"] == roads.name
    assert access["realm_access"] == {"roles": ["agency_staff"]}
    assert access["agencies"] == ["ivanovo-roads"]
    assert access["azp"] == CONSOLE
    assert access["exp"] - access["iat"] == 3600 and access["nbf"] == access["iat"]
    assert access["jti"]
    id_token = await verify(idp, body["id_token"], audience=CONSOLE)
    assert id_token["sub"] == roads.sub and id_token["nonce"] == "n-7"


async def test_the_services_verifier_accepts_the_access_token(idp: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await code_for(idp, challenge, user="cur-operator")
    token = (await exchange(idp, code, verifier)).json()["access_token"]

    async def fetch_jwks() -> dict[str, Any]:
        return dict((await idp.get("/jwks")).json())

    oidc = OidcSettings(OIDC_ISSUER=ISSUER, OIDC_AUDIENCE="appeals")
    principal = await TokenVerifier(oidc, fetch_jwks).verify(token)

    assert principal.username == "cur-operator"
    assert principal.roles == frozenset({Role.CUR_OPERATOR})
    assert principal.agencies == frozenset({"cur-ivanovo"})


@pytest.mark.parametrize(("user", "password"), [("roads-staff", "wrong"), ("nobody", "demo")])
async def test_wrong_credentials_show_the_form_again(
    idp: httpx.AsyncClient, user: str, password: str
) -> None:
    response = await login(idp, pkce()[1], user=user, password=password)

    assert response.status_code == 401
    assert "location" not in response.headers
    assert "Неверное имя пользователя или пароль" in response.text
    assert f'value="{user}"' in response.text


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_unknown_client_gets_a_page_not_a_redirect(
    idp: httpx.AsyncClient, method: str
) -> None:
    params = authorize_params(pkce()[1], client_id="evil-app")
    if method == "GET":
        response = await idp.get("/authorize", params=params)
    else:
        response = await idp.post(
            "/authorize", data=params | {"username": "admin", "password": "demo"}
        )

    assert response.status_code == 400
    assert "location" not in response.headers
    assert "Неизвестное приложение" in response.text


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/callback",
        "http://127.0.0.1:8000@evil.example/callback",  # the prefix, then userinfo
        "http://127.0.0.1:80.evil.example/callback",  # the prefix, then a host
        "http://127.0.0.1:8000\\@evil.example/",
        "",
    ],
)
async def test_a_redirect_uri_the_client_may_not_use_gets_a_page_not_a_redirect(
    idp: httpx.AsyncClient, redirect_uri: str
) -> None:
    params = authorize_params(pkce()[1], redirect_uri=redirect_uri)
    form = params | {"username": "admin", "password": "demo"}

    shown = await idp.get("/authorize", params=params)
    posted = await idp.post("/authorize", data=form)

    for response in (shown, posted):
        assert response.status_code == 400
        assert "location" not in response.headers
        assert "Адрес возврата (redirect_uri) не разрешён" in response.text


async def test_any_loopback_port_is_a_console_redirect(idp: httpx.AsyncClient) -> None:
    form = authorize_params(pkce()[1], redirect_uri="http://localhost:5173/cb")
    form |= {"username": "admin", "password": "demo"}

    response = await idp.post("/authorize", data=form)

    assert response.status_code == 303
    assert response.headers["location"].startswith("http://localhost:5173/cb?code=")


async def test_a_plain_pkce_challenge_is_refused_back_to_the_client(
    idp: httpx.AsyncClient,
) -> None:
    params = authorize_params("x" * 43, code_challenge_method="plain")

    response = await idp.get("/authorize", params=params)

    assert response.status_code == 303
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["st-42"]


async def test_a_code_is_single_use(idp: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await code_for(idp, challenge)

    first = await exchange(idp, code, verifier)
    again = await exchange(idp, code, verifier)

    assert first.status_code == 200
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert again.headers["cache-control"] == "no-store"


async def test_a_wrong_pkce_verifier_is_refused_and_spends_the_code(
    idp: httpx.AsyncClient,
) -> None:
    verifier, challenge = pkce()
    code = await code_for(idp, challenge)

    wrong = await exchange(idp, code, pkce()[0])
    right_too_late = await exchange(idp, code, verifier)

    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    assert "code_verifier" in wrong.json()["error_description"]
    assert right_too_late.status_code == 400


async def test_a_missing_verifier_is_refused_when_a_challenge_was_given(
    idp: httpx.AsyncClient,
) -> None:
    code = await code_for(idp, pkce()[1])

    response = await exchange(idp, code, None)

    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


async def test_a_code_expires_after_sixty_seconds(idp: httpx.AsyncClient, clock: Clock) -> None:
    verifier, challenge = pkce()
    in_time, too_late = await code_for(idp, challenge), await code_for(idp, challenge)

    clock.now += 59
    accepted = await exchange(idp, in_time, verifier)
    clock.now += 2
    refused = await exchange(idp, too_late, verifier)

    assert accepted.status_code == 200
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert "expired" in refused.json()["error_description"]


async def test_the_code_is_bound_to_its_redirect_uri(idp: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await code_for(idp, challenge)
    form = {"grant_type": "authorization_code", "code": code, "client_id": CONSOLE}
    form |= {"redirect_uri": "http://127.0.0.1:8003/other", "code_verifier": verifier}

    response = await idp.post("/token", data=form)

    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


async def test_other_grant_types_are_refused(idp: httpx.AsyncClient) -> None:
    form = {"grant_type": "password", "username": "admin", "password": "demo"}

    response = await idp.post("/token", data=form | {"client_id": CONSOLE})

    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"


async def test_logout_redirects_only_to_an_allowed_uri(idp: httpx.AsyncClient) -> None:
    allowed = await idp.get("/logout", params={"post_logout_redirect_uri": CALLBACK})
    foreign = await idp.get("/logout", params={"post_logout_redirect_uri": "https://evil.example/"})

    assert allowed.status_code == 303 and allowed.headers["location"] == CALLBACK
    assert foreign.status_code == 200 and "location" not in foreign.headers
    assert "Вы вышли" in foreign.text


async def test_health_live(idp: httpx.AsyncClient) -> None:
    assert (await idp.get("/health/live")).status_code == 200


async def test_keys_survive_a_restart_and_are_private_files(settings: IdpSettings) -> None:
    first = create_app(settings).state.idp.keys.current().kid
    second = create_app(settings).state.idp.keys.current().kid

    assert first == second
    pem = settings.key_dir / f"{first}.pem"
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600


async def test_a_cli_token_verifies_against_the_servers_jwks(
    idp: httpx.AsyncClient, settings: IdpSettings
) -> None:
    await idp.get("/jwks")  # the server made its key first; the CLI must use that one
    env = os.environ | {"DEV_IDP_ISSUER": ISSUER, "DEV_IDP_KEY_DIR": str(settings.key_dir)}
    argv = [sys.executable, str(ROOT / "tools" / "dev_idp"), "token", "--user", "governor"]
    argv += ["--ttl", "600"]

    run = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, cwd="/")

    claims = await verify(idp, run.stdout.strip())
    assert claims["preferred_username"] == "governor"
    assert claims["realm_access"]["roles"] == ["governor_office"]
    assert claims["exp"] - claims["iat"] == 600


async def test_an_ad_hoc_cli_token_carries_the_given_roles_and_agencies(
    idp: httpx.AsyncClient, settings: IdpSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["token", "--sub", "u-test", "--role", "agency_staff", "--agency", "ivanovo-roads"]
    args += ["--agency", "ivanovo-zhkh", "--issuer", ISSUER, "--key-dir", str(settings.key_dir)]

    cli(args)

    claims = await verify(idp, capsys.readouterr().out.strip())
    assert claims["sub"] == "u-test"
    assert claims["agencies"] == ["ivanovo-roads", "ivanovo-zhkh"]


async def test_rotation_keeps_the_old_key_published(
    idp: httpx.AsyncClient, settings: IdpSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    verifier, challenge = pkce()
    old_token = (await exchange(idp, await code_for(idp, challenge), verifier)).json()
    old_kid = jwt.get_unverified_header(old_token["access_token"])["kid"]

    cli(["rotate", "--key-dir", str(settings.key_dir)])
    capsys.readouterr()

    kids = [k["kid"] for k in (await idp.get("/jwks")).json()["keys"]]
    verifier, challenge = pkce()
    new_token = (await exchange(idp, await code_for(idp, challenge), verifier)).json()
    new_kid = jwt.get_unverified_header(new_token["access_token"])["kid"]
    assert new_kid != old_kid
    assert kids == [new_kid, old_kid]  # the current key first
    assert (await verify(idp, old_token["access_token"]))["sub"]


def test_the_demo_users_name_known_roles_and_agencies() -> None:
    directory = yaml.safe_load((ROOT / "config" / "directory.yaml").read_text(encoding="utf-8"))
    known_agencies = {body["id"] for body in directory["bodies"]}
    known_roles = {role.value for role in Role}

    for user in USERS.users:
        assert set(user.agencies) <= known_agencies, user.username
        assert set(user.roles) <= known_roles, user.username
    assert {"cur-operator", "roads-staff", "zhkh-staff", "kineshma-staff", "governor", "admin"} <= {
        user.username for user in USERS.users
    }
