"""The router ASGI app: `uvicorn router.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from appeals_common.logs import configure_logging
from appeals_common.runtime import Loops
from appeals_common.web import add_error_handlers, add_observability
from router.bootstrap import bootstrap
from router.entrypoints import api
from router.settings import Settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = Settings()
    configure_logging("router", settings.log_level)
    router = bootstrap(settings)
    app.state.router = router
    app.state.router_deps = router.deps
    app.state.loops = loops = Loops()
    await router.publisher.start()
    await router.consumer.start()
    loops.start("outbox-relay", router.relay.run, router.relay.stop)
    loops.start("consumer", router.consumer.run, router.consumer.stop)
    try:
        yield
    finally:
        await loops.stop_all()  # consumer first, then the relay drains what it wrote
        await router.publisher.stop()
        await router.database.dispose()


app = FastAPI(title="Appeals router", version="0.1.0", lifespan=lifespan)
app.include_router(api.router)
add_error_handlers(app)
add_observability(
    app,
    {
        "kafka": lambda: app.state.router.publisher.check(),
        "postgres": lambda: app.state.router.database.check(),
        "loops": lambda: app.state.loops.check(),
    },
)
