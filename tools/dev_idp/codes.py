"""Authorization codes: single-use, short-lived, bound to client, redirect URI and PKCE."""

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from tools.dev_idp.users import User

# RFC 7636: a verifier is 43-128 unreserved characters; an S256 challenge is 43 base64url ones.
VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")


class OAuthError(Exception):
    """An OAuth error response: `error` is the RFC 6749 code, the message its description."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class Grant:
    user: User
    client_id: str
    redirect_uri: str
    code_challenge: str | None
    nonce: str | None
    expires_at: float


class CodeStore:
    """Codes in memory: a restart forgets them, which is fine for a 60-second code."""

    def __init__(self, *, ttl_seconds: int, clock: Callable[[], float]) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._grants: dict[str, Grant] = {}

    def issue(
        self,
        user: User,
        *,
        client_id: str,
        redirect_uri: str,
        code_challenge: str | None,
        nonce: str | None,
    ) -> str:
        """A new code for this login."""
        now = self._clock()
        self._grants = {c: g for c, g in self._grants.items() if g.expires_at > now}
        code = secrets.token_urlsafe(32)
        expires_at = now + self._ttl
        self._grants[code] = Grant(user, client_id, redirect_uri, code_challenge, nonce, expires_at)
        return code

    def redeem(
        self, code: str, *, client_id: str, redirect_uri: str, code_verifier: str | None
    ) -> Grant:
        """The code's grant, once; OAuthError(invalid_grant) if anything does not match."""
        # Taken out before any check: a code that met a wrong verifier is spent too.
        grant = self._grants.pop(code, None)
        if grant is None:
            raise OAuthError("invalid_grant", "unknown or already used authorization code")
        if grant.expires_at <= self._clock():
            raise OAuthError("invalid_grant", "the authorization code has expired")
        if grant.client_id != client_id:
            raise OAuthError("invalid_grant", "the code was issued to another client")
        if grant.redirect_uri != redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization's")
        _check_pkce(grant.code_challenge, code_verifier)
        return grant


def s256(verifier: str) -> str:
    """The S256 code challenge of a PKCE verifier."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _check_pkce(challenge: str | None, verifier: str | None) -> None:
    if challenge is None:
        if verifier:  # RFC 9700: a verifier without a challenge hints at a downgrade attack
            raise OAuthError("invalid_grant", "code_verifier given but no code_challenge was")
        return
    if verifier is None or not VERIFIER.fullmatch(verifier):
        raise OAuthError("invalid_grant", "a valid code_verifier is required")
    if not hmac.compare_digest(s256(verifier), challenge):
        raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
