"""The dev IdP's settings, read from DEV_IDP_* environment variables when the app is built."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class IdpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEV_IDP_", extra="ignore", frozen=True)

    # Exactly what the services compare `iss` with (their OIDC_ISSUER): no normalising.
    issuer: str = "http://127.0.0.1:8005"
    audience: str = "appeals"
    token_ttl_seconds: int = Field(default=3600, gt=0)
    code_ttl_seconds: int = Field(default=60, gt=0)
    key_dir: Path = ROOT / ".stack" / "dev" / "idp"
    users_file: Path = ROOT / "config" / "dev-users.yaml"

    @property
    def base_url(self) -> str:
        """The issuer without a trailing slash, to append endpoint paths to."""
        return self.issuer.rstrip("/")
