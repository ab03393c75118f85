"""The ingest ASGI app: `uvicorn ingest.main:app`."""

from appeals_common.app import create_service_app
from ingest.bootstrap import bootstrap
from ingest.entrypoints.body_limits import BodyLimits
from ingest.entrypoints.routers import ROUTERS
from ingest.settings import Settings

app = create_service_app("ingest", lambda: bootstrap(Settings()), ROUTERS)
app.add_middleware(
    BodyLimits,
    max_bytes=lambda: app.state.service.settings.max_body_bytes,
    batch_max_bytes=lambda: app.state.service.settings.max_batch_bytes,
)
