"""The SLA monitor ASGI app: `uvicorn sla_monitor.main:app`."""

from appeals_common.app import create_service_app
from appeals_common.bodylimit import BodySizeLimit
from sla_monitor.bootstrap import bootstrap
from sla_monitor.entrypoints import api, policies_api, reports_api
from sla_monitor.settings import Settings

app = create_service_app(
    "sla-monitor",
    lambda: bootstrap(Settings()),
    [api.router, policies_api.router, reports_api.router],
)
app.add_middleware(BodySizeLimit, max_bytes=lambda: app.state.service.settings.max_body_bytes)
