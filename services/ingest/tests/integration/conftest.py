"""Ingest apps on the real broker and database, and the admin API's helpers."""

import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from appeals_common.app import create_service_app
from ingest.bootstrap import bootstrap
from ingest.entrypoints.routers import ROUTERS
from ingest.settings import ADMIN_TOKEN_PLACEHOLDER, Settings

# The fakes of the polled APIs live beside the test directories (services/ingest/tests/fakes).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN_PLACEHOLDER}"}


@asynccontextmanager
async def replica(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """One ingest replica built through bootstrap(), as uvicorn would run it."""
    app = create_service_app("ingest", lambda: bootstrap(Settings(**settings)), ROUTERS)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as client:
            yield client


@pytest.fixture
async def admin(infra) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with replica() as client:
        yield client


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return dict(ADMIN)


@pytest.fixture
def new_replica() -> Callable[..., Any]:
    """Another replica, with its own settings (a short refresh interval, say)."""
    return replica


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Ids no other test or session uses on the shared database."""
    run = uuid.uuid4().hex[:8]
    return lambda name: f"it-{run}-{name}"


@pytest.fixture
async def cleanup(admin: httpx.AsyncClient) -> AsyncIterator[list[str]]:
    """Page ids to delete after the test."""
    created: list[str] = []
    yield created
    for page_id in created:
        await admin.delete(f"/admin/v1/pages/{page_id}", headers=ADMIN)
