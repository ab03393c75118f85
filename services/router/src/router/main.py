"""The router ASGI app: `uvicorn router.main:app`."""

from appeals_common.app import create_service_app
from router.bootstrap import bootstrap
from router.entrypoints import api
from router.settings import Settings

app = create_service_app("router", lambda: bootstrap(Settings()), [api.router])
