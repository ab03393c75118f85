"""Classifier settings, from environment variables."""

from pydantic import Field

from appeals_common.settings import KafkaSettings


class Settings(KafkaSettings):
    min_confidence: float = Field(
        default=0.5, ge=0.0, le=1.0, validation_alias="CLASSIFIER_MIN_CONFIDENCE"
    )
