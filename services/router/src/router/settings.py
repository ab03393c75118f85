"""Router settings, from environment variables."""

from pathlib import Path

from pydantic import Field

from appeals_common.settings import DatabaseSettings, KafkaSettings


class Settings(KafkaSettings, DatabaseSettings):
    agency_directory_file: Path = Field(
        default=Path("config/agencies.yaml"), validation_alias="AGENCY_DIRECTORY_FILE"
    )
    # Below this the classifier's guess is not trusted with a deadline: the ЦУР triages it.
    min_confidence: float = Field(default=0.5, ge=0, le=1, validation_alias="ROUTER_MIN_CONFIDENCE")
