"""The delivery worker's settings: ingest's, less what only the edge needs."""

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from ingest.delivery.settings import DeliverySettings
from ingest.settings import Settings


def test_the_worker_runs_in_production_without_the_edges_admin_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("INGEST_CREDENTIAL_KEYS", Fernet.generate_key().decode())
    monkeypatch.delenv("INGEST_ADMIN_TOKEN", raising=False)
    assert DeliverySettings().environment == "production"
    with pytest.raises(ValidationError):
        Settings()  # the edge still refuses


def test_the_worker_still_needs_the_pages_key_outside_development(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("INGEST_CREDENTIAL_KEYS", raising=False)
    with pytest.raises(ValidationError):
        DeliverySettings()
