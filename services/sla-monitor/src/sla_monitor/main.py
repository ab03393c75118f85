"""The SLA monitor ASGI app: `uvicorn sla_monitor.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from appeals_common.logs import configure_logging
from appeals_common.runtime import Loops
from appeals_common.web import add_error_handlers, add_observability
from sla_monitor.bootstrap import bootstrap
from sla_monitor.entrypoints import api
from sla_monitor.settings import Settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = Settings()
    configure_logging("sla-monitor", settings.log_level)
    monitor = bootstrap(settings)
    app.state.monitor = monitor
    app.state.sla_deps = monitor.deps
    app.state.loops = loops = Loops()
    await monitor.publisher.start()
    await monitor.consumer.start()
    loops.start("outbox-relay", monitor.relay.run, monitor.relay.stop)
    loops.start("breach-scanner", monitor.scanner.run, monitor.scanner.stop)
    loops.start("consumer", monitor.consumer.run, monitor.consumer.stop)
    try:
        yield
    finally:
        await loops.stop_all()
        await monitor.publisher.stop()
        await monitor.database.dispose()


app = FastAPI(title="Appeals SLA monitor", version="0.1.0", lifespan=lifespan)
app.include_router(api.router)
add_error_handlers(app)
add_observability(
    app,
    {
        "kafka": lambda: app.state.monitor.publisher.check(),
        "postgres": lambda: app.state.monitor.database.check(),
        "loops": lambda: app.state.loops.check(),
    },
)
