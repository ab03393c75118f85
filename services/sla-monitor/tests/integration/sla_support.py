"""Shared by the SLA monitor's integration tests."""

import uuid
from datetime import UTC, datetime

from appeals_common.events import AppealClosed, new_envelope
from sla_monitor.handlers import handle_appeal_closed
from sla_monitor.main import app


async def close_clock(appeal_id: uuid.UUID, agency_id: str) -> None:
    """Close a test's appeal of a made-up body, so the shared database's backlog (which the
    governors' dashboard test reads) keeps only the directory's bodies open."""
    closed = AppealClosed(
        appeal_id=appeal_id, agency_id=agency_id, reason="not_appeal", closed_at=datetime.now(UTC)
    )
    event = new_envelope(closed, source="test", correlation_id=str(appeal_id))
    await handle_appeal_closed(event, app.state.service.deps)
