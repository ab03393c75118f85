"""BodySizeLimit on tiny in-process apps: declared and streamed bodies over the limit get 413."""

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from appeals_common.bodylimit import BodyLimits, BodySizeLimit

LIMIT = 16
REFUSAL = {"detail": f"request body is larger than {LIMIT} bytes"}


class Note(BaseModel):
    text: str


def _fastapi_app() -> FastAPI:
    """Wired like ingest: add_middleware, a raw-body route and a model-body route."""
    app = FastAPI()

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.post("/model")
    async def model(note: Note) -> dict[str, int]:
        return {"received": len(note.text)}

    app.add_middleware(BodySizeLimit, max_bytes=lambda: LIMIT)
    return app


async def _echo(request: Request) -> JSONResponse:
    return JSONResponse({"received": len(await request.body())})


def _wrapped_starlette_app() -> BodySizeLimit:
    """Used as a plain ASGI middleware: the limit wraps a whole app."""
    return BodySizeLimit(Starlette(routes=[Route("/raw", _echo, methods=["POST"])]), lambda: LIMIT)


def _client(app: FastAPI | BodySizeLimit | BodyLimits) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_a_declared_body_over_the_limit_is_refused_with_413() -> None:
    async with _client(_fastapi_app()) as client:
        response = await client.post("/raw", content=b"x" * (LIMIT + 1))

    assert response.status_code == 413
    assert response.json() == REFUSAL


async def test_a_body_under_the_limit_reaches_the_app() -> None:
    async with _client(_fastapi_app()) as client:
        response = await client.post("/raw", content=b"x" * (LIMIT - 1))

    assert response.status_code == 200
    assert response.json() == {"received": LIMIT - 1}


async def test_a_body_of_exactly_the_limit_reaches_the_app() -> None:
    async with _client(_fastapi_app()) as client:
        response = await client.post("/raw", content=b"x" * LIMIT)

    assert response.status_code == 200
    assert response.json() == {"received": LIMIT}


async def test_a_request_without_a_body_passes() -> None:
    async with _client(_fastapi_app()) as client:
        response = await client.post("/raw")

    assert response.status_code == 200
    assert response.json() == {"received": 0}


async def test_a_chunked_body_under_the_limit_reaches_the_app() -> None:
    async with _client(_fastapi_app()) as client:
        response = await client.post("/raw", content=_chunks(b"abcd", b"efgh"))

    assert "content-length" not in response.request.headers
    assert response.status_code == 200
    assert response.json() == {"received": 8}


async def test_a_chunked_body_over_the_limit_is_refused_with_413() -> None:
    async with _client(_fastapi_app()) as client:
        response = await client.post("/raw", content=_chunks(b"x" * 10, b"x" * 10, b"x" * 10))

    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == REFUSAL


async def test_a_declared_body_over_the_limit_for_a_model_route_is_refused_with_413() -> None:
    async with _client(_fastapi_app()) as client:
        response = await client.post("/model", json={"text": "x" * LIMIT})

    assert response.status_code == 413
    assert response.json() == REFUSAL


async def test_a_chunked_body_over_the_limit_for_a_model_route_is_refused_with_413() -> None:
    # FastAPI reads a model body itself and turns any exception into 400 "error parsing the body"
    body = _chunks(b'{"text": "', b"x" * 10, b"x" * 10, b'"}')
    async with _client(_fastapi_app()) as client:
        response = await client.post("/model", content=body)

    assert response.status_code == 413
    assert response.json() == REFUSAL


async def test_a_chunked_body_over_the_limit_around_a_whole_app_is_refused_with_413() -> None:
    # Starlette's ServerErrorMiddleware answers 500 before the exception reaches the limit
    async with _client(_wrapped_starlette_app()) as client:
        response = await client.post("/raw", content=_chunks(b"x" * 10, b"x" * 10))

    assert response.status_code == 413
    assert response.json() == REFUSAL


async def test_a_declared_body_over_the_limit_around_a_whole_app_is_refused_with_413() -> None:
    async with _client(_wrapped_starlette_app()) as client:
        response = await client.post("/raw", content=b"x" * (LIMIT + 1))

    assert response.status_code == 413
    assert response.json() == REFUSAL


async def test_the_limit_is_read_when_a_request_comes_not_when_the_app_is_built() -> None:
    limits = [LIMIT]
    app = BodySizeLimit(_wrapped_starlette_app(), max_bytes=lambda: limits[0])
    limits[0] = 5

    async with _client(app) as client:
        response = await client.post("/raw", content=b"x" * 6)

    assert response.status_code == 413


async def test_a_path_with_a_larger_limit_takes_more_and_others_keep_the_default() -> None:
    routes = [Route(p, _echo, methods=["POST"]) for p in ("/raw", "/admin/import")]
    app = BodyLimits(Starlette(routes=routes), lambda: LIMIT, {"/admin/": lambda: 4 * LIMIT})

    async with _client(app) as client:
        admin = await client.post("/admin/import", content=b"x" * (3 * LIMIT))
        too_much = await client.post("/admin/import", content=_chunks(b"x" * (4 * LIMIT + 1)))
        elsewhere = await client.post("/raw", content=b"x" * (LIMIT + 1))

    assert admin.json() == {"received": 3 * LIMIT}
    assert too_much.status_code == 413
    assert elsewhere.status_code == 413
    assert elsewhere.json() == REFUSAL
