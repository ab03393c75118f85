"""The demo users and OAuth clients, from config/dev-users.yaml."""

import hmac
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from uuid import UUID

import yaml
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

Role = Literal["agency_staff", "cur_operator", "governor_office", "admin"]
ROLES: tuple[Role, ...] = ("agency_staff", "cur_operator", "governor_office", "admin")


class Identity(BaseModel):
    """Who a token is about; the claims are made from this."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sub: str
    username: str
    name: str
    roles: tuple[Role, ...]
    agencies: tuple[str, ...] = ()


class User(Identity):
    """A demo account: an identity that can sign in with a password."""

    password: str

    @field_validator("sub")
    @classmethod
    def _sub_is_uuid(cls, sub: str) -> str:
        return str(UUID(sub))

    def identity(self) -> Identity:
        return Identity.model_validate(self.model_dump(exclude={"password"}))

    def password_matches(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self.password.encode())


class Client(BaseModel):
    """An OAuth client; public (no secret), so PKCE is what binds its code to it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    client_id: str
    name: str = ""
    redirect_uri_prefixes: tuple[str, ...] = ()

    def allows_redirect(self, uri: str) -> bool:
        """True if `uri` starts with an allowed prefix and names its host plainly."""
        if not uri or not uri.isprintable() or any(c.isspace() or c == "\\" for c in uri):
            return False
        try:
            parts = urlsplit(uri)
            _ = parts.port  # a port that is not a number ("127.0.0.1:80.evil.example")
        except ValueError:
            return False
        # "http://127.0.0.1:80@evil.example/" starts with the prefix but goes elsewhere.
        if "@" in parts.netloc or parts.fragment:
            return False
        return any(uri.startswith(prefix) for prefix in self.redirect_uri_prefixes)


class Directory(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    users: tuple[User, ...]
    clients: tuple[Client, ...]

    @model_validator(mode="after")
    def _unique(self) -> "Directory":
        for what, values in {
            "username": [u.username for u in self.users],
            "sub": [u.sub for u in self.users],
            "client_id": [c.client_id for c in self.clients],
        }.items():
            if len(set(values)) != len(values):
                raise ValueError(f"duplicate {what} in the users file")
        return self

    def user(self, username: str) -> User | None:
        return next((u for u in self.users if u.username == username), None)

    def client(self, client_id: str) -> Client | None:
        return next((c for c in self.clients if c.client_id == client_id), None)

    def allows_logout_redirect(self, uri: str) -> bool:
        return any(c.allows_redirect(uri) for c in self.clients)


def load_directory(path: Path) -> Directory:
    """Read and validate the users file."""
    return Directory.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
