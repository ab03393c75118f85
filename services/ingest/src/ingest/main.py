"""The ingest ASGI app: `uvicorn ingest.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from appeals_common.bodylimit import BodySizeLimit
from appeals_common.logs import configure_logging
from appeals_common.web import add_error_handlers, add_observability
from ingest.bootstrap import bootstrap
from ingest.entrypoints import api, vk
from ingest.settings import Settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = Settings()
    configure_logging("ingest", settings.log_level)
    ingest = bootstrap(settings)
    await ingest.publisher.start()
    app.state.ingest = ingest
    try:
        yield
    finally:
        await ingest.publisher.stop()


app = FastAPI(title="Appeals ingest", version="0.1.0", lifespan=lifespan)
app.include_router(api.router)
app.include_router(vk.router)
add_error_handlers(app)
app.add_middleware(BodySizeLimit, max_bytes=lambda: app.state.ingest.settings.max_body_bytes)
add_observability(app, {"kafka": lambda: app.state.ingest.publisher.check()})
