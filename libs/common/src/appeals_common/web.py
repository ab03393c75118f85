"""What every service's HTTP app has: health endpoints, /metrics and request metrics."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.routing import Match

from appeals_common import metrics
from appeals_common.errors import DependencyUnavailable

ReadinessCheck = Callable[[], Awaitable[None]]


def add_observability(app: FastAPI, checks: Callable[[], Mapping[str, ReadinessCheck]]) -> None:
    """Mount /health/live, /health/ready (runs `checks()`), /metrics and request metrics."""
    app.include_router(_health_router(checks))

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.middleware("http")
    async def count_requests(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = _route_template(app, request)
        metrics.HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        metrics.HTTP_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
        return response


def add_error_handlers(app: FastAPI, retry_after_s: int = 30) -> None:
    """A dependency outage is a 503 with Retry-After (webhook senders retry), never a 500."""

    @app.exception_handler(DependencyUnavailable)
    async def unavailable(_: Request, exc: DependencyUnavailable) -> JSONResponse:
        return JSONResponse(
            {"detail": f"temporarily unavailable: {exc}"},
            status_code=503,
            headers={"Retry-After": str(retry_after_s)},
        )


def _route_template(app: FastAPI, request: Request) -> str:
    # Label by template, not raw path, so ids do not explode the metric's cardinality.
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match is Match.FULL:
            return getattr(route, "path", "other")
    return "unmatched"


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
