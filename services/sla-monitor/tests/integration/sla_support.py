"""Shared by the SLA monitor's integration tests."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from appeals_common.events import AppealClosed, new_envelope
from sla_monitor.handlers import handle_appeal_closed
from sla_monitor.main import app

POLICIES = Path(__file__).resolve().parents[1] / "fixtures" / "sla-policies-it.yaml"


@asynccontextmanager
async def running_monitor(**settings: str) -> AsyncIterator[None]:
    """The monitor's app running for a test module: the integration policies from their file,
    the tests' own consumer groups (`-it`), and `settings` (environment variables) on top."""
    defaults = {
        "KAFKA_GROUP_SUFFIX": "-it",
        "SLA_POLICIES_FILE": str(POLICIES),
        "SLA_POLICIES_SOURCE": "file",
    }
    with pytest.MonkeyPatch.context() as env:
        for name, value in (defaults | settings).items():
            env.setenv(name, value)
        async with app.router.lifespan_context(app):
            yield


async def close_clock(appeal_id: uuid.UUID, agency_id: str) -> None:
    """Close a test's appeal of a made-up body, so the shared database's backlog (which the
    governors' dashboard test reads) keeps only the directory's bodies open."""
    closed = AppealClosed(
        appeal_id=appeal_id, agency_id=agency_id, reason="not_appeal", closed_at=datetime.now(UTC)
    )
    event = new_envelope(closed, source="test", correlation_id=str(appeal_id))
    await handle_appeal_closed(event, app.state.service.deps)
