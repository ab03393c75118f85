"""SLA monitor settings, from environment variables."""

from pydantic import Field

from appeals_common.auth.settings import OidcSettings
from appeals_common.settings import DatabaseSettings, KafkaSettings


class Settings(KafkaSettings, DatabaseSettings, OidcSettings):
    sla_target_seconds: int = Field(default=4 * 3600, ge=1, validation_alias="SLA_TARGET_SECONDS")
    sla_urgent_target_seconds: int = Field(
        default=3600, ge=1, validation_alias="SLA_URGENT_TARGET_SECONDS"
    )
    sla_scan_interval_seconds: float = Field(
        default=5.0, gt=0, validation_alias="SLA_SCAN_INTERVAL_SECONDS"
    )
    max_body_bytes: int = Field(default=16384, ge=1024, validation_alias="SLA_MAX_BODY_BYTES")
