"""Tokens for tests, as the dev IdP issues them: the services verify them the production way
(against the IdP's JWKS over HTTP)."""

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from tools.dev_idp.settings import IdpSettings
from tools.dev_idp.tokens import mint_access_token
from tools.dev_idp.users import Identity as User
from tools.dev_idp.users import load_directory

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Identity:
    issuer: str
    key_dir: Path

    def token(
        self,
        user: str | None = None,
        *,
        roles: tuple[str, ...] = (),
        agencies: tuple[str, ...] = (),
        sub: str | None = None,
        ttl: int = 900,
    ) -> str:
        """A demo user's token (config/dev-users.yaml), or one made up from roles/agencies."""
        settings = IdpSettings(issuer=self.issuer, key_dir=self.key_dir)
        if user is not None:
            found = load_directory(settings.users_file).user(user)
            assert found is not None, f"no demo user {user!r}"
            identity = found.identity()
        else:
            subject = sub or f"test-{uuid.uuid4().hex[:8]}"
            identity = User(
                sub=subject, username=subject, name=subject, roles=roles, agencies=agencies
            )
        return mint_access_token(
            settings, identity, client_id="appeals-tests", now=int(time.time()), ttl=ttl
        )

    def headers(self, user: str | None = None, **kwargs: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user, **kwargs)}"}  # type: ignore[arg-type]
