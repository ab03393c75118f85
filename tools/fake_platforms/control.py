"""The control API: `GET /_fake/{platform}` (what was posted, calls, faults pending, answers
held), `POST /_fake/{platform}/faults` `{"faults": ["rate_limit", "server_error"]}`,
`POST /_fake/{platform}/hold`, `/release`, `/reset`, `/revoke` `{"token": ...}`,
`/block` `{"target": ...}` and `/delete` `{"target": ...}`. Which fault names each platform
knows is in its module's FAULTS."""

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tools.fake_platforms.core import Ledger


def control_routes(
    ledgers: Mapping[str, Ledger], faults: Mapping[str, frozenset[str]]
) -> list[Route]:
    async def show(request: Request) -> Response:
        ledger = _ledger(ledgers, request)
        if ledger is None:
            return _unknown(request)
        return JSONResponse(ledger.status())

    async def command(request: Request) -> Response:
        ledger = _ledger(ledgers, request)
        if ledger is None:
            return _unknown(request)
        action = request.path_params["action"]
        body = await _json(request)
        if action == "faults":
            names = body.get("faults")
            known = faults[ledger.platform]
            if not isinstance(names, list) or not all(n in known for n in names):
                return JSONResponse({"error": f"faults: a list of {sorted(known)}"}, 422)
            ledger.faults.extend(names)
        elif action in ("revoke", "block", "delete"):
            value = body.get("token" if action == "revoke" else "target")
            if not isinstance(value, str):
                return JSONResponse({"error": f"{action}: a string is required"}, 422)
            {"revoke": ledger.revoked_tokens, "block": ledger.blocked, "delete": ledger.deleted}[
                action
            ].add(value)
        elif action in ("hold", "release", "reset"):
            getattr(ledger, action)()
        else:
            return JSONResponse({"error": f"no action {action}"}, 404)
        return JSONResponse(ledger.status())

    return [
        Route("/_fake/{platform}", show, methods=["GET"]),
        Route("/_fake/{platform}/{action}", command, methods=["POST"]),
    ]


def _ledger(ledgers: Mapping[str, Ledger], request: Request) -> Ledger | None:
    return ledgers.get(request.path_params["platform"])


def _unknown(request: Request) -> Response:
    return JSONResponse({"error": f"no platform {request.path_params['platform']}"}, 404)


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
