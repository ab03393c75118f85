"""The classifier ASGI app: `uvicorn classifier.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from appeals_common.logs import configure_logging
from appeals_common.runtime import Loops
from appeals_common.web import add_error_handlers, add_observability
from classifier.bootstrap import bootstrap
from classifier.entrypoints import api
from classifier.settings import Settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = Settings()
    configure_logging("classifier", settings.log_level)
    classifier = bootstrap(settings)
    app.state.classifier = classifier
    app.state.loops = loops = Loops()
    await classifier.publisher.start()
    await classifier.consumer.start()
    loops.start("consumer", classifier.consumer.run, classifier.consumer.stop)
    try:
        yield
    finally:
        await loops.stop_all()
        await classifier.publisher.stop()


app = FastAPI(title="Appeals classifier", version="0.1.0", lifespan=lifespan)
app.include_router(api.router)
add_error_handlers(app)
add_observability(
    app,
    {
        "kafka": lambda: app.state.classifier.publisher.check(),
        "loops": lambda: app.state.loops.check(),
    },
)
