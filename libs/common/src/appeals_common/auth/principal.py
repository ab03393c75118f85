"""The caller as the services see it: who, in which roles, for which agencies (pure)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    AGENCY_STAFF = "agency_staff"  # works the queues of its agencies only
    CUR_OPERATOR = "cur_operator"  # the regional control centre: every queue, triage
    GOVERNOR_OFFICE = "governor_office"  # reads everything, changes nothing
    ADMIN = "admin"  # the directory, rules and users' bindings; no residents' appeals


@dataclass(frozen=True)
class Principal:
    subject: str
    username: str
    name: str
    roles: frozenset[Role]
    agencies: frozenset[str] = field(default_factory=frozenset)

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def display_name(self) -> str:
        return self.name or self.username or self.subject


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Read the identity from verified claims; unknown roles are ignored, not trusted.

    Roles come from Keycloak's `realm_access.roles` or a flat `roles` claim; agencies from
    the `agencies` claim (in Keycloak, a user-attribute mapper).
    """
    realm = claims.get("realm_access")
    raw_roles = [
        *(realm.get("roles", []) if isinstance(realm, Mapping) else []),
        *_strings(claims.get("roles")),
    ]
    known = {r.value for r in Role}
    return Principal(
        subject=str(claims["sub"]),
        username=str(claims.get("preferred_username") or claims["sub"]),
        name=str(claims.get("name") or ""),
        roles=frozenset(Role(r) for r in raw_roles if isinstance(r, str) and r in known),
        agencies=frozenset(_strings(claims.get("agencies"))),
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []
