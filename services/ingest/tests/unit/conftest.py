"""The ingest app on the shipped page registry with a fake publisher, for HTTP edge tests."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from appeals_common.app import create_service_app
from appeals_common.errors import DependencyUnavailable
from appeals_common.events import Envelope
from appeals_common.runtime import Loops
from ingest.adapters.page_registry_file import load_page_registry
from ingest.bootstrap import Ingest
from ingest.entrypoints.body_limits import limit_bodies
from ingest.entrypoints.routers import ROUTERS
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[4]


class FakePublisher:
    """Implements the publisher port; `down` makes it behave like an unreachable broker."""

    def __init__(self) -> None:
        self.published: list[tuple[str, Envelope[Any]]] = []
        self.keys: list[str] = []
        self.down = False

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def check(self) -> None:
        if self.down:
            raise DependencyUnavailable("Kafka metadata request failed")

    async def publish(self, topic: str, event: Envelope[Any], *, key: str) -> None:
        if self.down:
            raise DependencyUnavailable(f"Kafka did not acknowledge a record on {topic}")
        event.encode()  # as KafkaPublisher does: an event it cannot write fails here too
        self.published.append((topic, event))
        self.keys.append(key)

    @property
    def topics(self) -> list[str]:
        return [topic for topic, _ in self.published]


class FakeIngest(Ingest):
    async def start(self, loops: Loops) -> None: ...
    async def stop(self) -> None: ...


@pytest.fixture
def publisher() -> FakePublisher:
    return FakePublisher()


@pytest.fixture
def settings() -> Settings:
    """Overridable by a test module that needs other limits."""
    return Settings(PAGE_REGISTRY_FILE=ROOT / "config" / "pages.yaml")


@pytest.fixture
async def client(publisher: FakePublisher, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    service = FakeIngest(settings, load_page_registry(settings.page_registry_file), publisher)  # type: ignore[arg-type]
    app = create_service_app("ingest", lambda: service, ROUTERS)
    limit_bodies(app, lambda: settings)  # as main.py does
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as c:
            yield c
