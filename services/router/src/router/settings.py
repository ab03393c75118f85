"""Router settings, from environment variables."""

from pathlib import Path

from pydantic import Field

from appeals_common.settings import DatabaseSettings, KafkaSettings


class Settings(KafkaSettings, DatabaseSettings):
    agency_directory_file: Path = Field(
        default=Path("config/agencies.yaml"), validation_alias="AGENCY_DIRECTORY_FILE"
    )
