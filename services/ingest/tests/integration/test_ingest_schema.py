"""Ingest's migrations build exactly the tables its code uses."""

import pytest

from appeals_common.db.migrations import schema_drift
from ingest.adapters.orm import SCHEMA, metadata

pytestmark = pytest.mark.integration


async def test_migrations_match_the_orm(infra) -> None:
    assert await schema_drift(infra.database_url, metadata, SCHEMA) == []
