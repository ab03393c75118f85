"""The ingest ASGI app: `uvicorn ingest.main:app`."""

from appeals_common.app import create_service_app
from ingest.bootstrap import bootstrap
from ingest.entrypoints.body_limits import limit_bodies
from ingest.entrypoints.routers import ROUTERS
from ingest.settings import Settings

app = create_service_app("ingest", lambda: bootstrap(Settings()), ROUTERS)
limit_bodies(app, lambda: app.state.service.settings)
