"""Ingest settings, from environment variables."""

from pathlib import Path

from pydantic import Field

from appeals_common.settings import KafkaSettings


class Settings(KafkaSettings):
    page_registry_file: Path = Field(
        default=Path("config/pages.yaml"), validation_alias="PAGE_REGISTRY_FILE"
    )
    max_body_bytes: int = Field(
        default=256 * 1024, ge=1024, validation_alias="INGEST_MAX_BODY_BYTES"
    )
    author_key_salt: str = Field(
        default="dev-only-author-salt", min_length=8, validation_alias="AUTHOR_KEY_SALT"
    )
