"""Who is calling: OIDC access tokens verified against the issuer's keys, as a Principal.

This package's top level is pure (the domain layers import Principal from it); the token
verifier is `appeals_common.auth.tokens`, the FastAPI edge `appeals_common.auth.http`.
"""

from appeals_common.auth.principal import Principal, Role, principal_from_claims

__all__ = ["Principal", "Role", "principal_from_claims"]
