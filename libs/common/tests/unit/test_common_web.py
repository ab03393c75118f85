"""Request metrics: labelled by route template and by the status actually sent."""

from collections.abc import Mapping

import httpx
from fastapi import FastAPI, HTTPException
from prometheus_client import REGISTRY

from appeals_common.web import ReadinessCheck, add_observability


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: int) -> dict[str, int]:
        if thing_id == 0:
            raise HTTPException(404, "no such thing")
        return {"id": thing_id}

    @app.get("/v1/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    checks: Mapping[str, ReadinessCheck] = {}
    add_observability(app, lambda: checks)
    return app


def _count(route: str, status: str) -> float:
    labels = {"method": "GET", "route": route, "status": status}
    return REGISTRY.get_sample_value("appeals_http_requests_total", labels) or 0.0


async def _get(app: FastAPI, *paths: str) -> None:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for path in paths:
            await client.get(path)


async def test_requests_are_counted_by_route_template_not_raw_path() -> None:
    before = _count("/v1/things/{thing_id}", "200")
    await _get(_app(), "/v1/things/1", "/v1/things/2")
    assert _count("/v1/things/{thing_id}", "200") == before + 2
    assert (
        REGISTRY.get_sample_value(
            "appeals_http_requests_total",
            {"method": "GET", "route": "/v1/things/2", "status": "200"},
        )
        is None
    )


async def test_the_status_sent_is_the_one_counted() -> None:
    before = (_count("/v1/things/{thing_id}", "404"), _count("unmatched", "404"))
    before_500 = _count("/v1/broken", "500")
    await _get(_app(), "/v1/things/0", "/nowhere", "/v1/broken")
    assert _count("/v1/things/{thing_id}", "404") == before[0] + 1
    assert _count("unmatched", "404") == before[1] + 1
    assert _count("/v1/broken", "500") == before_500 + 1
