"""Signed tokens in Keycloak's shape: the contract appeals_common.auth verifies.

Access token: iss, aud (the API audience), sub, exp, iat, nbf, jti, preferred_username, name,
realm_access.roles, agencies, azp (the client). ID token: the same identity for the client
(aud = client id), with the login's nonce. RS256 only, `kid` in the header.
"""

import uuid
from typing import Any

import jwt

from tools.dev_idp.keys import ALGORITHM, KeyStore, SigningKey
from tools.dev_idp.settings import IdpSettings
from tools.dev_idp.users import Identity


def identity_claims(identity: Identity) -> dict[str, Any]:
    return {
        "sub": identity.sub,
        "preferred_username": identity.username,
        "name": identity.name,
        "realm_access": {"roles": list(identity.roles)},
        "agencies": list(identity.agencies),
    }


def access_token_claims(
    settings: IdpSettings, identity: Identity, *, client_id: str, now: int, ttl: int
) -> dict[str, Any]:
    """The claims of an access token for the services' audience."""
    return {
        "iss": settings.issuer,
        "aud": settings.audience,
        **_times(now, ttl),
        "azp": client_id,
        **identity_claims(identity),
    }


def id_token_claims(
    settings: IdpSettings, identity: Identity, *, client_id: str, now: int, nonce: str | None
) -> dict[str, Any]:
    """The claims of an ID token for the client that asked for the login."""
    claims = {
        "iss": settings.issuer,
        "aud": client_id,
        **_times(now, settings.token_ttl_seconds),
        "auth_time": now,
        "azp": client_id,
        **identity_claims(identity),
    }
    return claims | ({"nonce": nonce} if nonce else {})


def sign(claims: dict[str, Any], key: SigningKey) -> str:
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})


def _times(now: int, ttl: int) -> dict[str, Any]:
    return {"iat": now, "nbf": now, "exp": now + ttl, "jti": str(uuid.uuid4())}


def mint_access_token(
    settings: IdpSettings, identity: Identity, *, client_id: str, now: int, ttl: int
) -> str:
    """An access token signed with the key directory's current key, as the server would."""
    claims = access_token_claims(settings, identity, client_id=client_id, now=now, ttl=ttl)
    return sign(claims, KeyStore(settings.key_dir).current())
