"""The SLA monitor ASGI app: `uvicorn sla_monitor.main:app`."""

from appeals_common.app import create_service_app
from appeals_common.bodylimit import BodySizeLimit
from sla_monitor.bootstrap import bootstrap
from sla_monitor.entrypoints import api
from sla_monitor.settings import Settings

app = create_service_app("sla-monitor", lambda: bootstrap(Settings()), [api.router])
app.add_middleware(BodySizeLimit, max_bytes=lambda: app.state.service.settings.max_body_bytes)
