"""Settings read from environment variables; each service composes these with its own."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class BaseServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")


class KafkaSettings(BaseServiceSettings):
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:19092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    # Consumer groups are per service; a suffix lets tests and blue/green runs stay apart.
    kafka_group_suffix: str = Field(default="", validation_alias="KAFKA_GROUP_SUFFIX")
    handler_max_attempts: int = Field(default=5, ge=1, validation_alias="HANDLER_MAX_ATTEMPTS")


class DatabaseSettings(BaseServiceSettings):
    database_url: str = Field(
        default="postgresql+asyncpg://appeals@127.0.0.1:55432/appeals",
        validation_alias="DATABASE_URL",
    )
    database_pool_size: int = Field(default=10, ge=1, validation_alias="DATABASE_POOL_SIZE")
