"""Access tokens: what verifies, and every way a forged or stale token is refused."""

import base64
import json
import time
from collections.abc import Mapping
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from appeals_common.auth import Role
from appeals_common.auth.settings import OidcSettings
from appeals_common.auth.tokens import InvalidToken, TokenVerifier

ISSUER = "https://idp.example/realms/region"
SETTINGS = OidcSettings(OIDC_ISSUER=ISSUER, OIDC_AUDIENCE="appeals", OIDC_LEEWAY_SECONDS=30)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER_KEY, NEXT_KEY = _key(), _key(), _key()


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


class Jwks:
    """A JWKS source whose keys a test can rotate; counts how often it was asked."""

    def __init__(self, *keys: dict[str, Any]) -> None:
        self.keys, self.fetches = list(keys), 0

    async def __call__(self) -> Mapping[str, Any]:
        self.fetches += 1
        return {"keys": self.keys}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "appeals",
        "sub": "u-1",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "preferred_username": "roads-staff",
        "name": "Иван Петров",
        "realm_access": {"roles": ["agency_staff", "offline_access"]},
        "agencies": ["ivanovo-roads"],
    }
    return {**claims, **overrides}


def _token(claims: dict[str, Any], key: rsa.RSAPrivateKey = KEY, kid: str = "k1") -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def _verifier(jwks: Jwks | None = None, clock: Clock | None = None) -> TokenVerifier:
    return TokenVerifier(SETTINGS, jwks or Jwks(_jwk(KEY, "k1")), clock=clock or Clock())


async def test_a_valid_token_gives_the_principal_with_its_known_roles_and_agencies() -> None:
    principal = await _verifier().verify(_token(_claims()))
    assert principal.subject == "u-1"
    assert principal.display_name == "Иван Петров"
    assert principal.roles == frozenset({Role.AGENCY_STAFF})  # offline_access is not ours
    assert principal.agencies == frozenset({"ivanovo-roads"})


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (_claims(exp=int(time.time()) - 120), "expired"),
        (_claims(nbf=int(time.time()) + 120), "not valid yet"),
        (_claims(iss="https://evil.example/"), "another issuer"),
        (_claims(aud="another-app"), "another audience"),
        ({k: v for k, v in _claims().items() if k != "sub"}, "required claim"),
    ],
)
async def test_stale_or_foreign_tokens_are_refused(claims: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidToken, match=reason):
        await _verifier().verify(_token(claims))


async def test_a_little_clock_skew_is_tolerated() -> None:
    principal = await _verifier().verify(_token(_claims(exp=int(time.time()) - 10)))
    assert principal.subject == "u-1"


async def test_a_token_signed_with_another_key_under_a_known_key_id_is_refused() -> None:
    with pytest.raises(InvalidToken, match="signature"):
        await _verifier().verify(_token(_claims(), key=OTHER_KEY, kid="k1"))


async def test_alg_none_is_refused() -> None:
    header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"k1"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(_claims()).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match="'none' is not accepted"):
        await _verifier().verify(f"{header}.{body}.")


async def test_hmac_with_the_public_key_as_secret_is_refused() -> None:
    token = jwt.encode(_claims(), "any-shared-secret-of-enough-length!", algorithm="HS256")
    with pytest.raises(InvalidToken, match="HS256"):
        await _verifier().verify(token)


async def test_garbage_is_refused() -> None:
    with pytest.raises(InvalidToken, match="malformed"):
        await _verifier().verify("not-a-token")


async def test_a_rotated_key_is_picked_up_with_one_refetch() -> None:
    jwks, clock = Jwks(_jwk(KEY, "k1")), Clock()
    verifier = _verifier(jwks, clock)
    await verifier.verify(_token(_claims()))
    jwks.keys.append(_jwk(NEXT_KEY, "k2"))
    clock.now += 60
    principal = await verifier.verify(_token(_claims(sub="u-2"), key=NEXT_KEY, kid="k2"))
    assert principal.subject == "u-2"
    assert jwks.fetches == 2


async def test_unknown_key_ids_do_not_hammer_the_issuer() -> None:
    jwks, clock = Jwks(_jwk(KEY, "k1")), Clock()
    verifier = _verifier(jwks, clock)
    await verifier.verify(_token(_claims()))
    for n in range(20):
        with pytest.raises(InvalidToken, match="not the issuer's"):
            await verifier.verify(_token(_claims(), key=OTHER_KEY, kid=f"forged-{n}"))
    assert jwks.fetches == 1  # within the refetch interval: no request to the issuer


async def test_the_cache_expires_so_a_removed_key_stops_verifying() -> None:
    jwks, clock = Jwks(_jwk(KEY, "k1")), Clock()
    verifier = _verifier(jwks, clock)
    await verifier.verify(_token(_claims()))
    jwks.keys = [_jwk(NEXT_KEY, "k2")]
    clock.now += SETTINGS.oidc_jwks_cache_seconds + 1
    with pytest.raises(InvalidToken, match="not the issuer's"):
        await verifier.verify(_token(_claims()))
