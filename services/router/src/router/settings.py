"""Router settings, from environment variables."""

from pathlib import Path

from pydantic import Field

from appeals_common.auth.settings import OidcSettings
from appeals_common.settings import DatabaseSettings, KafkaSettings


class Settings(KafkaSettings, DatabaseSettings, OidcSettings):
    # The directory of bodies and the region's gazetteer (docs/routing.md): who may get an
    # appeal, and the places an appeal's text may name.
    directory_file: Path = Field(
        default=Path("config/directory.yaml"), validation_alias="DIRECTORY_FILE"
    )
    gazetteer_file: Path = Field(
        default=Path("config/gazetteer.csv"), validation_alias="GAZETTEER_FILE"
    )
    # The declarative routing rules tried before the default steps (docs/routing.md).
    routing_rules_file: Path = Field(
        default=Path("config/routing-rules.yaml"), validation_alias="ROUTING_RULES_FILE"
    )
    # The files seed the database once; after that each replica looks this often for a newer
    # stored version of the directory or the rules and routes by it.
    config_refresh_seconds: float = Field(
        default=5.0, gt=0, validation_alias="ROUTER_CONFIG_REFRESH_SECONDS"
    )
    # Below this the classifier's guess is not trusted with a deadline: the ЦУР triages it.
    min_confidence: float = Field(default=0.5, ge=0, le=1, validation_alias="ROUTER_MIN_CONFIDENCE")
    # A claim nobody renews lapses, so an operator who went home does not block an appeal.
    claim_idle_minutes: float = Field(
        default=30, gt=0, le=24 * 60, validation_alias="ROUTER_CLAIM_IDLE_MINUTES"
    )
    max_body_bytes: int = Field(default=65536, ge=1024, validation_alias="ROUTER_MAX_BODY_BYTES")
    # The admin API takes whole directories (a region's is a few hundred KB of YAML or CSV).
    admin_max_body_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, validation_alias="ROUTER_ADMIN_MAX_BODY_BYTES"
    )
    # The console asks the SLA monitor for each appeal's clock, with the caller's own token.
    sla_url: str = Field(default="http://127.0.0.1:8004", validation_alias="ROUTER_SLA_URL")
    console_templates_file: Path = Field(
        default=Path("config/answer-templates.yaml"),
        validation_alias="ROUTER_CONSOLE_TEMPLATES_FILE",
    )
