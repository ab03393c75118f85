"""Classifier settings, from environment variables."""

from pathlib import Path

from pydantic import Field

from appeals_common.settings import KafkaSettings

# Relative to the working directory, like the other services' config files: the repository
# root in development, /app in the image.
DEFAULT_MODEL_FILE = Path("services/classifier/model/classifier.npz")


class Settings(KafkaSettings):
    # Unset: the model's own threshold, chosen in training for 90 % precision of what is
    # routed (docs/classifier.md); set, it overrides that for every appeal.
    min_confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, validation_alias="CLASSIFIER_MIN_CONFIDENCE"
    )
    model_file: Path = Field(default=DEFAULT_MODEL_FILE, validation_alias="CLASSIFIER_MODEL_FILE")
    # How often each replica looks whether retraining promoted a new model file.
    model_reload_seconds: float = Field(
        default=60.0, gt=0, validation_alias="CLASSIFIER_MODEL_RELOAD_SECONDS"
    )
