"""SLA monitor settings, from environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from appeals_common.auth.settings import OidcSettings
from appeals_common.settings import DatabaseSettings, KafkaSettings


class Settings(KafkaSettings, DatabaseSettings, OidcSettings):
    # The policies seed version 1 in the database; then the admin API changes them.
    policies_file: Path = Field(
        default=Path("config/sla-policies.yaml"), validation_alias="SLA_POLICIES_FILE"
    )
    # database: the admin API changes the policies (the file seeds version 1); file: the file
    # is the truth at every start (a ConfigMap under review), stored as a version when changed.
    policies_source: Literal["database", "file"] = Field(
        default="database", validation_alias="SLA_POLICIES_SOURCE"
    )
    # Decrees of the production calendar the `holidays` package may not have yet.
    calendar_file: Path = Field(
        default=Path("config/production-calendar.yaml"), validation_alias="SLA_CALENDAR_FILE"
    )
    # How often each replica looks for newer policies and directory versions.
    refresh_seconds: float = Field(default=5.0, gt=0, validation_alias="SLA_REFRESH_SECONDS")
    sla_scan_interval_seconds: float = Field(
        default=5.0, gt=0, validation_alias="SLA_SCAN_INTERVAL_SECONDS"
    )
    # Notices of warnings, breaches and escalations (notifications.py): e-mail when a host is
    # set, Telegram when a bot token is; none of them, and the steps are only counted.
    smtp_host: str | None = Field(default=None, validation_alias="SLA_SMTP_HOST")
    smtp_port: int = Field(default=25, ge=1, le=65535, validation_alias="SLA_SMTP_PORT")
    smtp_from: str = Field(default="sla@appeals.local", validation_alias="SLA_SMTP_FROM")
    smtp_username: str | None = Field(default=None, validation_alias="SLA_SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(default=None, validation_alias="SLA_SMTP_PASSWORD")
    smtp_tls: bool = Field(default=False, validation_alias="SLA_SMTP_TLS")
    telegram_api_url: str = Field(
        default="https://api.telegram.org", validation_alias="SLA_TELEGRAM_API_URL"
    )
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias="SLA_TELEGRAM_BOT_TOKEN"
    )
    # The console the notices link the appeal card in, as officials' browsers reach it (the
    # local stack's and docker-compose's router by default).
    console_url: str = Field(default="http://localhost:8003", validation_alias="SLA_CONSOLE_URL")
    max_body_bytes: int = Field(default=16384, ge=1024, validation_alias="SLA_MAX_BODY_BYTES")
