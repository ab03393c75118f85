"""Ingest settings, from environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from appeals_common.settings import DatabaseSettings, KafkaSettings
from ingest.adapters.credential_cipher import DEV_CREDENTIAL_KEY, parse_keys

# Accepted only in development, like the demo API keys of config/pages.yaml.
ADMIN_TOKEN_PLACEHOLDER = "changethis-dev-admin-token"


class Settings(KafkaSettings, DatabaseSettings):
    # A refused setting must not print its value (the admin token, the salt) into a log.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    # The seed `python -m ingest.pages import` reads when given no file (tools read it too).
    page_registry_file: Path = Field(
        default=Path("config/pages.yaml"), validation_alias="PAGE_REGISTRY_FILE"
    )
    max_body_bytes: int = Field(
        default=256 * 1024, ge=1024, validation_alias="INGEST_MAX_BODY_BYTES"
    )
    author_key_salt: str = Field(
        default="dev-only-author-salt", min_length=8, validation_alias="AUTHOR_KEY_SALT"
    )
    # Per page and per process; far above a busy page's peak (the reasoning: docs/ingest.md).
    page_rate_per_second: float = Field(
        default=100.0, gt=0, validation_alias="INGEST_PAGE_RATE_PER_SECOND"
    )
    page_burst: int = Field(default=1000, ge=1, validation_alias="INGEST_PAGE_BURST")
    # Event ids each process remembers having published, to answer retries without republishing.
    remembered_events: int = Field(
        default=100_000, ge=1, validation_alias="INGEST_REMEMBERED_EVENTS"
    )
    environment: Literal["development", "staging", "production"] = Field(
        default="development", validation_alias="ENVIRONMENT"
    )
    admin_token: SecretStr = Field(
        default=SecretStr(ADMIN_TOKEN_PLACEHOLDER), validation_alias="INGEST_ADMIN_TOKEN"
    )
    # Fernet keys for the page credentials at rest, comma-separated: the first encrypts, all
    # decrypt (docs/ingest.md, "Credentials at rest"). Unset: a public key, development only.
    credential_keys: SecretStr | None = Field(
        default=None, validation_alias="INGEST_CREDENTIAL_KEYS"
    )
    # How stale another replica's registry may be after an admin change (this one: none).
    page_refresh_seconds: float = Field(
        default=5.0, gt=0, le=300, validation_alias="INGEST_PAGE_REFRESH_SECONDS"
    )
    max_batch_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, validation_alias="INGEST_MAX_BATCH_BYTES"
    )

    # Comment polling of OK and MAX pages (docs/ingest.md, "Comment polling"). Base URLs are
    # settings so that tests point the clients at local fakes.
    ok_api_url: str = Field(default="https://api.ok.ru/fb.do", validation_alias="INGEST_OK_API_URL")
    max_api_url: str = Field(
        default="https://platform-api2.max.ru", validation_alias="INGEST_MAX_API_URL"
    )
    poll_interval_seconds: float = Field(
        default=60.0, gt=0, le=3600, validation_alias="INGEST_POLL_INTERVAL_SECONDS"
    )
    poll_posts: int = Field(default=10, ge=1, le=100, validation_alias="INGEST_POLL_POSTS")
    ok_api_rate_per_second: float = Field(
        default=3.0, gt=0, validation_alias="INGEST_OK_API_RATE_PER_SECOND"
    )
    max_api_rate_per_second: float = Field(
        default=10.0, gt=0, validation_alias="INGEST_MAX_API_RATE_PER_SECOND"
    )

    @model_validator(mode="after")
    def _real_admin_token_outside_development(self) -> "Settings":
        token = self.admin_token.get_secret_value()
        if self.environment != "development" and (
            token == ADMIN_TOKEN_PLACEHOLDER or len(token) < 32
        ):
            raise ValueError(
                f"INGEST_ADMIN_TOKEN must be set to a random value of 32+ characters "
                f"outside development (ENVIRONMENT={self.environment})"
            )
        return self

    @model_validator(mode="after")
    def _real_credential_keys_outside_development(self) -> "Settings":
        if self.credential_keys is None:
            if self.environment != "development":
                raise ValueError(
                    "INGEST_CREDENTIAL_KEYS must be set outside development "
                    f"(ENVIRONMENT={self.environment}): page credentials are encrypted with it"
                )
            return self
        keys = parse_keys(self.credential_keys.get_secret_value())
        if self.environment != "development" and DEV_CREDENTIAL_KEY in keys:
            raise ValueError(
                "INGEST_CREDENTIAL_KEYS holds the public development key "
                f"(ENVIRONMENT={self.environment})"
            )
        return self

    def cipher_keys(self) -> list[str]:
        """The keys page credentials are encrypted (the first) and decrypted (all) with."""
        if self.credential_keys is None:
            return [DEV_CREDENTIAL_KEY]
        return parse_keys(self.credential_keys.get_secret_value())
