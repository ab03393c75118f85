"""Property-based fuzzing of the SLA monitor's endpoints with a token of each role, on the
real database. Requests are derived from the app's OpenAPI document (a new endpoint is fuzzed
without editing this file): any appeal id in the path (clocks in every state, unknown ids,
odd text), extra query parameters, headers and bodies, bodies over the size limit, other
methods.

Properties: never a 5xx; a 4xx is JSON with a `detail` that does not repeat a marker sent in
every string; a reader sees the clocks its role may (a 200), and is refused the others.
Reproducible: derandomized, no example database.
"""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from appeals_common.events import (
    AppealAnswered,
    AppealClosed,
    AppealRouted,
    AppealWithdrawn,
    Platform,
    ResponseChannel,
    new_envelope,
)
from sla_monitor.handlers import (
    handle_appeal_answered,
    handle_appeal_closed,
    handle_appeal_routed,
    handle_appeal_withdrawn,
)
from sla_monitor.main import app

pytestmark = pytest.mark.integration

FUZZ = examples(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    # The app and its clocks are made once per module and shared by the examples: on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
OWN, OTHER = "ivanovo-zhkh", "ivanovo-roads"
ROLES: dict[str, dict[str, Any]] = {
    "staff": {"roles": ("agency_staff",), "agencies": (OWN,)},
    "cur": {},  # the demo ЦУР operator, `cur-operator`
    "governor": {"roles": ("governor_office",)},
    "admin": {"roles": ("admin",)},
}
OPERATIONS = sorted(
    (method.upper(), path)
    for path, operations in app.openapi()["paths"].items()
    if not path.startswith("/health/")  # open to the probes, and without input
    for method in operations
)
# The clocks every example may name: one per state, the last on another agency's appeal.
STATES = ["open", "overdue", "answered", "unrouted", "withdrawn", "closed", "other agency"]
PLACEHOLDER = "MARKER00000000"  # replaced by a marker no other example uses, as long


class World:
    """The readers by role, and an appeal id per clock state."""

    def __init__(self, clients: dict[str, httpx.AsyncClient], clocks: dict[str, str]) -> None:
        self.clients, self.clocks = clients, clocks

    def __repr__(self) -> str:  # a failing example prints its fixtures: not the tokens
        return "World(...)"


def _envelope(payload: Any) -> Any:
    return new_envelope(payload, source="test", correlation_id=str(payload.appeal_id))


async def _clock(state: str) -> str:
    """An appeal whose clock is in `state`, through the monitor's own handlers."""
    deps, now, appeal_id = app.state.service.deps, datetime.now(UTC), uuid.uuid4()
    written = now - (timedelta(days=2) if state == "overdue" else timedelta(minutes=1))
    if state != "unrouted":
        routed = AppealRouted(
            appeal_id=appeal_id,
            agency_id=OTHER if state == "other agency" else OWN,
            agency_name="ЖКХ",
            topic="housing.heating",
            urgent=False,
            platform=Platform.VK,
            page_id="vk-adm-ivanovo",
            routed_at=now,
            written_at=written,
        )
        await handle_appeal_routed(_envelope(routed), deps)
    if state in ("answered", "unrouted"):
        answered = AppealAnswered(
            appeal_id=appeal_id,
            response_id=uuid.uuid4(),
            agency_id=OWN,
            channel=ResponseChannel.QUEUE,
            answered_at=now,
        )
        await handle_appeal_answered(_envelope(answered), deps)
    if state == "withdrawn":
        withdrawn = AppealWithdrawn(
            appeal_id=appeal_id,
            platform=Platform.VK,
            page_id="vk-adm-ivanovo",
            external_id=appeal_id.hex,
            withdrawn_at=now,
        )
        await handle_appeal_withdrawn(_envelope(withdrawn), deps)
    if state == "closed":
        closed = AppealClosed(appeal_id=appeal_id, agency_id=OWN, reason="merged", closed_at=now)
        await handle_appeal_closed(_envelope(closed), deps)
    return str(appeal_id)


@pytest.fixture(scope="module")
async def world(infra, identity) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KAFKA_GROUP_SUFFIX", "-it")  # resumes where the last test app left off
        async with app.router.lifespan_context(app):
            clients = {
                who: httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app),
                    base_url="http://sla",
                    headers=identity.headers(**claims)
                    if claims
                    else identity.headers("cur-operator"),
                )
                for who, claims in ROLES.items()
            }
            yield World(clients, {state: await _clock(state) for state in STATES})
            for client in clients.values():
                await client.aclose()


def _fresh_marker() -> str:
    return f"mk{uuid.uuid4().hex[:12]}"


def _quote(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")  # a lone surrogate: broken UTF-8


def _expected(role: str, path: str, state: str | None, method: str = "GET") -> set[int]:
    """What a reader may see: region-wide roles every clock, staff their agency's, admins none;
    the policies: administrators, the ЦУР and the governor's office read, administrators
    store (a request without a body: 422)."""
    if path.startswith("/v1/sla/policies"):
        if "{version}" in path:
            return {422}  # the path's placeholder is not a version number
        if method == "POST":
            return {422} if role == "admin" else {403}
        return {403} if role == "staff" else {200}
    if role == "admin":
        return {403}
    if path.endswith(("/backlog", "/reports")):
        return {200}
    if state is None or (role == "staff" and state in ("unrouted", "other agency")):
        return {404}
    return {200}


def check(response: httpx.Response, marker: str | None = None) -> None:
    """Never a 5xx; a 4xx says why in JSON and does not repeat what was sent."""
    if currently_in_test_context():  # the spread of answers: --hypothesis-show-statistics
        event(f"{response.request.method} {response.status_code}")
    assert response.status_code < 500, response.text
    if response.status_code >= 400 and response.request.method != "HEAD":
        assert response.headers.get("content-type", "").startswith("application/json")
        assert response.json()["detail"], response.text
        assert marker is None or marker not in response.text, response.text


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@FUZZ
@given(role=st.sampled_from(list(ROLES)), state=st.sampled_from(STATES) | st.none())
async def test_a_reader_sees_the_clocks_its_role_may(
    world: World, method: str, path: str, role: str, state: str | None
) -> None:
    appeal_id = world.clocks[state] if state else str(uuid.uuid4())

    response = await world.clients[role].request(method, path.replace("{appeal_id}", appeal_id))

    check(response)
    assert response.status_code in _expected(role, path, state, method), response.text
    if response.status_code == 200 and "{appeal_id}" in path:
        assert response.json()["appeal_id"] == appeal_id


ODD = [
    *["", " ", "\x00", "a\x00b", "\ud800", "\udfff\ud800", "%00", "\u202e", "🙂", "..", "."],
    *["9223372036854775808", "-1", "0", "²", "x" * 600, "x" * 5_000, PLACEHOLDER],
]
ODD_TEXT = st.sampled_from(ODD) | st.text(st.characters(codec=None), max_size=80)
ODD_IDS = st.one_of(
    ODD_TEXT,
    st.uuids().map(lambda u: f"{u}{PLACEHOLDER}"),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.uuids().map(lambda u: u.hex),
)
BODIES = st.one_of(
    st.none(),
    st.binary(max_size=300),
    st.sampled_from(
        [b"{", b"[" * 20_000, json.dumps({"x": PLACEHOLDER}).encode(), b'"\\ud800"', b"\x00"]
    ),
    st.integers(16_385, 70_000).map(lambda n: b" " * n),  # over SLA_MAX_BODY_BYTES's default
)


@st.composite
def any_request(draw: st.DrawFn, path: str) -> dict[str, Any]:
    """The operation with an odd appeal id, query, headers, body or method (or several)."""
    return {
        "role": draw(st.sampled_from(list(ROLES))),
        "method": draw(st.sampled_from(["GET"] * 6 + ["POST", "PUT", "DELETE", "HEAD"])),
        "appeal_id": draw(st.sampled_from(STATES) | ODD_IDS),
        "query": draw(st.lists(st.tuples(ODD_TEXT, ODD_TEXT), max_size=4)),
        "headers": draw(
            st.dictionaries(
                st.sampled_from(["Accept", "Content-Type", "If-None-Match", "X-Request-Id"]),
                st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80),
            )
        ),
        "body": draw(BODIES),
    }


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@examples(FUZZ, max_examples=300)
@given(data=st.data())
async def test_any_request_by_any_role_is_answered_never_a_500(
    world: World, method: str, path: str, data: st.DataObject
) -> None:
    request = data.draw(any_request(path), label="request")
    marker = _fresh_marker()
    appeal_id = world.clocks.get(request["appeal_id"], _quote(request["appeal_id"]))
    query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in request["query"])
    url = f"{path.replace('{appeal_id}', appeal_id)}?{query}".replace(PLACEHOLDER, marker)
    body = (
        request["body"].replace(PLACEHOLDER.encode(), marker.encode()) if request["body"] else None
    )
    headers = {
        k: v.replace(PLACEHOLDER, marker).encode("latin-1") for k, v in request["headers"].items()
    }

    response = await world.clients[request["role"]].request(
        request["method"], url, content=body, headers=headers
    )

    check(response, marker)
    if body is not None and len(body) > app.state.service.settings.max_body_bytes:
        assert response.status_code == 413, response.text
    elif request["method"] not in (method, "HEAD"):  # 404: an odd id matches no route at all
        assert response.status_code in (404, 405), response.text


def _chunks(size: int) -> AsyncIterator[bytes]:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(size // 4096):
            yield b" " * 4096

    return chunks()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
async def test_a_body_over_the_limit_is_413(
    world: World, method: str, path: str, declared: bool
) -> None:
    size = app.state.service.settings.max_body_bytes + 4096
    headers = {"Content-Length": str(size)} if declared else {}

    response = await world.clients["cur"].request(
        method,
        path.replace("{appeal_id}", world.clocks["open"]),
        content=_chunks(size),
        headers=headers,
    )

    assert response.status_code == 413, response.text
    check(response)
