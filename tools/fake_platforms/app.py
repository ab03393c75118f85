"""The fake platforms' HTTP app: each platform's API under its own prefix, and the control
API. Point the delivery worker at it with INGEST_VK_API_URL=<base>/vk/method,
INGEST_TELEGRAM_API_URL=<base>/telegram, INGEST_MAX_API_URL=<base>/max and
INGEST_OK_API_URL=<base>/ok/fb.do."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from tools.fake_platforms import max_bot, ok, telegram, vk
from tools.fake_platforms.control import control_routes
from tools.fake_platforms.core import Ledger

PLATFORMS = {"vk": vk, "telegram": telegram, "max": max_bot, "ok": ok}


async def _live(_: Request) -> Response:
    return JSONResponse({"status": "live"})


def create_app() -> Starlette:
    ledgers = {name: Ledger(name) for name in PLATFORMS}
    mounts = [
        Mount(f"/{name}", routes=module.routes(ledgers[name])) for name, module in PLATFORMS.items()
    ]
    faults = {name: module.FAULTS for name, module in PLATFORMS.items()}
    app = Starlette(
        routes=[Route("/health/live", _live), *control_routes(ledgers, faults), *mounts]
    )
    app.state.ledgers = ledgers
    return app
