"""Ingest settings, from environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from appeals_common.settings import DatabaseSettings, KafkaSettings
from ingest.adapters.credential_cipher import DEV_CREDENTIAL_KEY, parse_keys

# Accepted only in development, like the demo API keys of config/pages.yaml.
ADMIN_TOKEN_PLACEHOLDER = "changethis-dev-admin-token"


class RegistrySettings(KafkaSettings, DatabaseSettings):
    """What every ingest process needs: the broker, the database and the page registry with
    its encrypted credentials (the webhook edge, and the delivery worker, which serves no
    admin API)."""

    # A refused setting must not print its value (a token, a key, the salt) into a log.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    environment: Literal["development", "staging", "production"] = Field(
        default="development", validation_alias="ENVIRONMENT"
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
    # The OK and MAX APIs: polled for comments by the edge, answered on by the delivery worker.
    # Base URLs are settings so that tests and the demo point the clients at local fakes.
    ok_api_url: str = Field(default="https://api.ok.ru/fb.do", validation_alias="INGEST_OK_API_URL")
    max_api_url: str = Field(
        default="https://platform-api2.max.ru", validation_alias="INGEST_MAX_API_URL"
    )

    @model_validator(mode="after")
    def _fit_for_the_environment(self) -> "RegistrySettings":
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def problems(self) -> list[str]:
        """What is wrong for this environment (each process adds its own), never a value."""
        if self.credential_keys is None:
            if self.environment == "development":
                return []
            return [
                "INGEST_CREDENTIAL_KEYS must be set outside development "
                f"(ENVIRONMENT={self.environment}): page credentials are encrypted with it"
            ]
        keys = parse_keys(self.credential_keys.get_secret_value())
        if self.environment != "development" and DEV_CREDENTIAL_KEY in keys:
            return [
                "INGEST_CREDENTIAL_KEYS holds the public development key "
                f"(ENVIRONMENT={self.environment})"
            ]
        return []

    def cipher_keys(self) -> list[str]:
        """The keys page credentials are encrypted (the first) and decrypted (all) with."""
        if self.credential_keys is None:
            return [DEV_CREDENTIAL_KEY]
        return parse_keys(self.credential_keys.get_secret_value())


class Settings(RegistrySettings):
    """The webhook edge's: its limits, the admin API's token, the comment poller."""

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
    admin_token: SecretStr = Field(
        default=SecretStr(ADMIN_TOKEN_PLACEHOLDER), validation_alias="INGEST_ADMIN_TOKEN"
    )
    max_batch_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, validation_alias="INGEST_MAX_BATCH_BYTES"
    )

    # Comment polling of OK and MAX pages (docs/ingest.md, "Comment polling").
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

    def problems(self) -> list[str]:
        """The registry's problems, after the admin token's (the edge serves the admin API)."""
        token = self.admin_token.get_secret_value()
        if self.environment != "development" and (
            token == ADMIN_TOKEN_PLACEHOLDER or len(token) < 32
        ):
            admin = (
                "INGEST_ADMIN_TOKEN must be set to a random value of 32+ characters "
                f"outside development (ENVIRONMENT={self.environment})"
            )
            return [admin, *super().problems()]
        return super().problems()
