"""The router ASGI app: `uvicorn router.main:app`."""

from appeals_common.app import create_service_app
from appeals_common.bodylimit import BodyLimits
from router import console
from router.bootstrap import bootstrap
from router.entrypoints import actions_api, admin_api, api, deliveries_api
from router.settings import Settings

app = create_service_app(
    "router",
    lambda: bootstrap(Settings()),
    [api.router, actions_api.router, deliveries_api.router, admin_api.router, console.router],
)
app.add_middleware(
    BodyLimits,
    max_bytes=lambda: app.state.service.settings.max_body_bytes,
    larger={"/v1/admin/": lambda: app.state.service.settings.admin_max_body_bytes},
)
app.mount("/console/static", console.static_files(), name="console-static")
