"""What every service's HTTP app has: health endpoints, /metrics and request metrics."""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from appeals_common import metrics
from appeals_common.errors import DependencyUnavailable

ReadinessCheck = Callable[[], Awaitable[None]]


def add_observability(app: FastAPI, checks: Callable[[], Mapping[str, ReadinessCheck]]) -> None:
    """Mount /health/live, /health/ready (runs `checks()`), /metrics and request metrics."""
    app.include_router(_health_router(checks))

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(RequestMetrics)


def _registry() -> CollectorRegistry:
    """This process's metrics, or every worker's when uvicorn runs several (`--workers`).

    prometheus_client keeps the workers' values in files under PROMETHEUS_MULTIPROC_DIR when
    that variable is set at start; a scrape then has to add them up, whichever worker answers.
    """
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def add_error_handlers(app: FastAPI, retry_after_s: int = 30) -> None:
    """A dependency outage is a 503 with Retry-After (webhook senders retry), never a 500; an
    invalid request is a 422 that names the field and the rule, never the value."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer echoes the input: personal data, and a NaN or a lone surrogate
        # in it cannot even be written as JSON, which turned a 422 into a 500.
        return JSONResponse({"detail": [_without_input(e) for e in exc.errors()]}, 422)

    @app.exception_handler(DependencyUnavailable)
    async def unavailable(_: Request, exc: DependencyUnavailable) -> JSONResponse:
        return JSONResponse(
            {"detail": f"temporarily unavailable: {exc}"},
            status_code=503,
            headers={"Retry-After": str(retry_after_s)},
        )


def _without_input(error: Mapping[str, object]) -> dict[str, object]:
    loc = error.get("loc")
    return {
        "type": _printable(error.get("type")),
        "loc": [_printable(part) for part in loc] if isinstance(loc, list | tuple) else [],
        "msg": _printable(error.get("msg")),
    }


def _printable(value: object) -> object:
    """Ints as they are; anything else as text without lone surrogates (a JSON key may be one)."""
    if isinstance(value, int):
        return value
    return str(value).encode("utf-8", errors="backslashreplace").decode("utf-8")


class RequestMetrics:
    """Counts and times requests by route template (a plain ASGI middleware: cheap per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), "500"

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = str(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            # The router puts the matched route in the scope: label by its template, not the
            # raw path, so ids do not explode the metric's cardinality.
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics.HTTP_REQUESTS.labels(scope["method"], route, status).inc()
            metrics.HTTP_SECONDS.labels(scope["method"], route).observe(
                time.perf_counter() - started
            )


def _health_router(get_checks: Callable[[], Mapping[str, ReadinessCheck]]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        """The process is up and its event loop answers."""
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready() -> JSONResponse:
        """Every dependency answers; 503 with the failing ones otherwise."""
        checks = get_checks()
        results = await asyncio.gather(
            *(check() for check in checks.values()), return_exceptions=True
        )
        failed = {
            name: str(r)
            for name, r in zip(checks, results, strict=True)
            if isinstance(r, BaseException)
        }
        if failed:
            return JSONResponse({"status": "unavailable", "failed": failed}, status_code=503)
        return JSONResponse({"status": "ok", "checks": list(checks)})

    return router
