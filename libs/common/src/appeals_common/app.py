"""The one way a service becomes an ASGI app: its lifespan, health, metrics, docs and errors.

A service is whatever its composition root builds: something that starts its clients and
loops, stops them, and says which dependencies readiness must check.
"""

import gc
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from fastapi import APIRouter, FastAPI

from appeals_common.docs import add_offline_docs
from appeals_common.logs import configure_logging
from appeals_common.runtime import Loops
from appeals_common.settings import BaseServiceSettings
from appeals_common.web import ReadinessCheck, add_error_handlers, add_observability


class Service(Protocol):
    @property
    def settings(self) -> BaseServiceSettings: ...

    async def start(self, loops: Loops) -> None:
        """Connect clients and start the long-lived loops."""

    async def stop(self) -> None:
        """Close clients; the loops are already stopped."""

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]: ...


def create_service_app(
    name: str, build: Callable[[], Service], routers: Sequence[APIRouter]
) -> FastAPI:
    """An app whose lifespan builds the service (settings are read then, not at import)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = build()
        configure_logging(name, service.settings.log_level)
        loops = Loops()
        app.state.service, app.state.loops = service, loops
        await service.start(loops)
        # What start-up built (modules, the app, clients, models) lives as long as the process:
        # frozen, the oldest generation's collections stop walking it on every pass, which
        # under load took 80-110 ms a time and made ingest's p99 (docs/ingest.md, "Load").
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await loops.stop_all()  # in reverse start order: consumers before relays
            await service.stop()

    # FastAPI's own docs pages load from a public CDN; ours are served from the package.
    app = FastAPI(
        title=f"Appeals {name}",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    add_offline_docs(app)
    for router in routers:
        app.include_router(router)
    add_error_handlers(app)
    add_observability(
        app, lambda: {**app.state.service.readiness_checks(), "loops": app.state.loops.check}
    )
    return app
