"""An invalid request body is a 422 naming the field and the rule, never the value: the value
may be personal data, and NaN or a lone surrogate in it made FastAPI's own answer a 500."""

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from appeals_common.web import add_error_handlers


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/things")
    async def create(thing_in: Thing) -> dict[str, int]:
        return {"count": thing_in.count}

    add_error_handlers(app)
    return app


@pytest.mark.parametrize(
    "body",
    [
        b'{"count": NaN}',
        b'{"count": Infinity}',
        b'{"count": "\\ud800"}',
        b'{"count": 1, "\\udfff": 2}',  # the unknown key is in `loc`
        b'{"count": "Ivanov Ivan, +7 900 000-00-00"}',
        b"{",
    ],
)
async def test_an_invalid_body_is_a_422_without_the_input(body: bytes) -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            "/things", content=body, headers={"Content-Type": "application/json"}
        )

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert errors and all(set(e) == {"type", "loc", "msg"} for e in errors)
    assert "Ivanov" not in response.text
