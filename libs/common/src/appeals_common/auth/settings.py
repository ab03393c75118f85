"""Where tokens come from and what they must say."""

from pydantic import Field

from appeals_common.settings import BaseServiceSettings


class OidcSettings(BaseServiceSettings):
    # The region's identity provider (a Keycloak realm URL, or the dev IdP locally).
    oidc_issuer: str = Field(default="http://127.0.0.1:8005", validation_alias="OIDC_ISSUER")
    oidc_audience: str = Field(default="appeals", validation_alias="OIDC_AUDIENCE")
    # Empty: taken from the issuer's discovery document.
    oidc_jwks_url: str = Field(default="", validation_alias="OIDC_JWKS_URL")
    # Clocks of the issuer and the services differ a little; more than minutes is a bug.
    oidc_leeway_seconds: int = Field(
        default=30, ge=0, le=300, validation_alias="OIDC_LEEWAY_SECONDS"
    )
    oidc_jwks_cache_seconds: int = Field(
        default=300, ge=10, validation_alias="OIDC_JWKS_CACHE_SECONDS"
    )
