"""Access tokens verified locally against the issuer's published keys (JWKS).

The keys are fetched once and cached; a token signed with a key id not in the cache makes
one refetch (the issuer rotated its keys), at most every `REFETCH_INTERVAL_S`, so a flood
of forged key ids cannot turn into a flood of requests to the issuer.
"""

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import httpx
import jwt

from appeals_common.auth.principal import Principal, principal_from_claims
from appeals_common.auth.settings import OidcSettings
from appeals_common.errors import DependencyUnavailable

# Asymmetric algorithms only: "none" and the HMAC family (a public key used as a shared
# secret) are the classic JWT forgeries.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA")
REFETCH_INTERVAL_S = 10.0


class InvalidToken(Exception):
    """The token is missing, malformed, expired, from another issuer or badly signed."""


class JwksSource(Protocol):
    async def __call__(self) -> Mapping[str, Any]:
        """The issuer's current JWKS document."""


class HttpJwksSource:
    """Fetches the JWKS over HTTP; its URL from the issuer's discovery document if not given."""

    def __init__(self, settings: OidcSettings, client: httpx.AsyncClient) -> None:
        self._issuer = settings.oidc_issuer.rstrip("/")
        self._jwks_url = settings.oidc_jwks_url
        self._client = client

    async def __call__(self) -> Mapping[str, Any]:
        try:
            if not self._jwks_url:
                discovery = await self._get(f"{self._issuer}/.well-known/openid-configuration")
                self._jwks_url = str(discovery["jwks_uri"])
            return await self._get(self._jwks_url)
        except (httpx.HTTPError, KeyError, ValueError) as error:
            raise DependencyUnavailable("the identity provider's keys") from error

    async def _get(self, url: str) -> Mapping[str, Any]:
        response = await self._client.get(url, timeout=5)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        return document


class TokenVerifier:
    """Turns a bearer token into a Principal, or raises InvalidToken saying why."""

    def __init__(
        self,
        settings: OidcSettings,
        fetch_jwks: JwksSource,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._fetch = fetch_jwks
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken("malformed token") from error
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken(f"signing algorithm {header.get('alg')!r} is not accepted")
        key = await self._key(str(header.get("kid", "")))
        s = self._settings
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[key.algorithm_name],
                audience=s.oidc_audience,
                issuer=s.oidc_issuer,
                leeway=s.oidc_leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(_reason(error)) from error
        return principal_from_claims(claims)

    async def _key(self, kid: str) -> jwt.PyJWK:
        if kid not in self._keys or self._stale():
            async with self._lock:
                if self._stale() or (kid not in self._keys and self._may_refetch()):
                    await self._refresh()
        try:
            return self._keys[kid]
        except KeyError:
            raise InvalidToken("the token's signing key is not the issuer's") from None

    def _stale(self) -> bool:
        return self._clock() - self._fetched_at > self._settings.oidc_jwks_cache_seconds

    def _may_refetch(self) -> bool:
        return self._clock() - self._fetched_at > REFETCH_INTERVAL_S

    async def _refresh(self) -> None:
        document = await self._fetch()
        keys = {}
        for entry in document.get("keys", []):
            try:
                key = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue  # a key type we do not use (encryption keys, unknown curves)
            if key.key_id and key.algorithm_name in ALGORITHMS:
                keys[key.key_id] = key
        self._keys, self._fetched_at = keys, self._clock()


def _reason(error: jwt.PyJWTError) -> str:
    reasons: Mapping[type[jwt.PyJWTError], str] = {
        jwt.ExpiredSignatureError: "the token has expired",
        jwt.ImmatureSignatureError: "the token is not valid yet",
        jwt.InvalidIssuerError: "the token is from another issuer",
        jwt.InvalidAudienceError: "the token is for another audience",
        jwt.InvalidSignatureError: "the token's signature does not verify",
        jwt.MissingRequiredClaimError: "the token lacks a required claim",
    }
    return next((m for t, m in reasons.items() if isinstance(error, t)), "invalid token")
