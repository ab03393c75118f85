"""INGEST_CREDENTIAL_KEYS: the public development key only in development; elsewhere real keys
are required, and a refusal never prints them."""

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from ingest.adapters.credential_cipher import DEV_CREDENTIAL_KEY
from ingest.settings import Settings

ADMIN = "x" * 40


def test_development_runs_with_the_public_key() -> None:
    assert Settings().cipher_keys() == [DEV_CREDENTIAL_KEY]


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_elsewhere_unset_keys_are_refused(environment: str) -> None:
    with pytest.raises(ValidationError, match="INGEST_CREDENTIAL_KEYS must be set"):
        Settings(ENVIRONMENT=environment, INGEST_ADMIN_TOKEN=ADMIN)


def test_elsewhere_the_public_key_is_refused_even_behind_a_real_one() -> None:
    keys = f"{Fernet.generate_key().decode()},{DEV_CREDENTIAL_KEY}"

    with pytest.raises(ValidationError, match="public development key") as caught:
        Settings(ENVIRONMENT="production", INGEST_CREDENTIAL_KEYS=keys, INGEST_ADMIN_TOKEN=ADMIN)

    assert DEV_CREDENTIAL_KEY not in str(caught.value)


def test_a_malformed_key_is_refused_by_position_without_echo() -> None:
    good = Fernet.generate_key().decode()

    with pytest.raises(ValidationError, match="key 2 is not a Fernet key") as caught:
        Settings(INGEST_CREDENTIAL_KEYS=f"{good},abcdef")

    assert good not in str(caught.value) and "abcdef" not in str(caught.value)


def test_the_keys_come_in_order_and_stay_out_of_repr() -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()

    settings = Settings(
        ENVIRONMENT="production", INGEST_CREDENTIAL_KEYS=f"{new},{old}", INGEST_ADMIN_TOKEN=ADMIN
    )

    assert settings.cipher_keys() == [new, old]
    assert new not in repr(settings) and old not in repr(settings)
