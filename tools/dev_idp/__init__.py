"""A small OpenID Connect provider for the local stack, the demo and the tests ("dev IdP").

It stands in for the region's Keycloak: discovery, JWKS, an authorization-code login with
PKCE (a Russian login page listing the demo users of config/dev-users.yaml), the token
endpoint and logout. Tokens have Keycloak's shape (realm_access.roles, an `agencies` claim),
so the services verify them exactly as in production. Development only: every password is
"demo".

    uvicorn tools.dev_idp.app:create_app --factory --port 8005     (stack.py does this)
    python -m tools.dev_idp token --user cur-operator              (a token for scripts)
    python -m tools.dev_idp rotate                                 (a new signing key)
"""

from tools.dev_idp.app import create_app
from tools.dev_idp.keys import KeyStore
from tools.dev_idp.settings import IdpSettings
from tools.dev_idp.tokens import mint_access_token
from tools.dev_idp.users import Identity, load_directory

__all__ = [
    "Identity",
    "IdpSettings",
    "KeyStore",
    "create_app",
    "load_directory",
    "mint_access_token",
]
