"""The classifier ASGI app: `uvicorn classifier.main:app`."""

from appeals_common.app import create_service_app
from classifier.bootstrap import bootstrap
from classifier.entrypoints import api
from classifier.settings import Settings

app = create_service_app("classifier", lambda: bootstrap(Settings()), [api.router])
