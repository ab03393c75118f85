"""Settings refuse a placeholder admin token outside development, without printing it."""

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from ingest.settings import ADMIN_TOKEN_PLACEHOLDER, Settings


def test_development_runs_with_the_placeholder() -> None:
    settings = Settings()

    assert settings.environment == "development"
    assert settings.admin_token.get_secret_value() == ADMIN_TOKEN_PLACEHOLDER


@pytest.mark.parametrize("environment", ["staging", "production"])
@pytest.mark.parametrize("token", [ADMIN_TOKEN_PLACEHOLDER, "short-but-real-token"])
def test_elsewhere_the_placeholder_or_a_short_token_is_refused(
    environment: str, token: str
) -> None:
    with pytest.raises(ValidationError, match="INGEST_ADMIN_TOKEN") as caught:
        Settings(ENVIRONMENT=environment, INGEST_ADMIN_TOKEN=token)

    assert token not in str(caught.value)


def test_a_real_token_is_accepted_in_production() -> None:
    token = "x" * 40

    keys = Fernet.generate_key().decode()

    settings = Settings(
        ENVIRONMENT="production", INGEST_ADMIN_TOKEN=token, INGEST_CREDENTIAL_KEYS=keys
    )

    assert settings.admin_token.get_secret_value() == token
    assert token not in repr(settings)
