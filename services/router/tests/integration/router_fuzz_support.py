"""Shared by the router's fuzz tests: the roles and what each may do, the operations of the
app's OpenAPI document, the callers (the `world` fixture is in conftest.py), the fill-ins
that make a drawn request real (appeals, versions, the marker) and the checks on answers."""

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, event
from hypothesis import settings as examples
from hypothesis.control import currently_in_test_context
from router_support import act, current_version, routed_appeal

from router.adapters.directory_file import load_directory
from router.main import app

ROOT = Path(__file__).resolve().parents[4]

FUZZ = examples(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    # The app and the callers are built once per module and shared by the examples: on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
OWN, OTHER = "ivanovo-roads", "ivanovo-zhkh"
ROLES: dict[str, dict[str, Any]] = {
    "staff": {"roles": ("agency_staff",), "agencies": (OWN,)},
    "cur": {},  # the demo ЦУР operator, `cur-operator`
    "governor": {"roles": ("governor_office",)},
    "admin": {"roles": ("admin",)},
}
# What each role may do on its own agency's appeals (the access matrix test, cell by cell);
# by the operation's last path segment, `read` for the GETs of appeals and queues.
ACTIONS = {
    *("claim", "release", "answer", "reassign", "return", "not-appeal", "merge", "notes"),
    *("retry", "mark-delivered"),  # an answer's failed delivery
    *("pause", "resume"),  # waiting for the resident
}
MAY = {
    "staff": {"me", "agencies", "read", *ACTIONS} - {"reassign", "not-appeal"},
    "cur": {"me", "agencies", "read", *ACTIONS},
    "governor": {"me", "agencies", "read"},
    "admin": {"me", "agencies", "admin"},  # `admin`: every operation under /v1/admin/
}
SPEC = app.openapi()
OPERATIONS = {
    f"{method.upper()} {path}": operation
    for path, operations in SPEC["paths"].items()
    if not path.startswith("/health/")  # open to the probes, and without input
    for method, operation in operations.items()
}
# Replaced by a marker no other example uses, the same length so that limits still hold.
PLACEHOLDER = "MARKER00000000"
DIRECTORY = load_directory(ROOT / "config" / "directory.yaml")
AGENCIES = [a.id for a in DIRECTORY.agencies]
# Stands for an appeal routed for the example, to merge into: the same length as its id.
FRESH = "00000000-0000-4000-8000-00000000f00d"


class World:
    """The callers by role, and their tokens (for the console's cookie)."""

    def __init__(self, clients: dict[str, httpx.AsyncClient], tokens: dict[str, str]) -> None:
        self.clients, self.tokens = clients, tokens

    def __repr__(self) -> str:  # a failing example prints its fixtures: not the tokens
        return "World(...)"


def _fresh_marker() -> str:
    return f"mk{uuid.uuid4().hex[:12]}"


def _quote(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")  # a lone surrogate: broken UTF-8


def _query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs)


def _unique(data: bytes | str, marker: str) -> Any:
    if isinstance(data, str):
        return data.replace(PLACEHOLDER, marker)
    return data.replace(PLACEHOLDER.encode(), marker.encode())


async def _path(world: World, key: str, request: dict[str, Any]) -> tuple[str, uuid.UUID | None]:
    """The operation's path with its parameters filled in, and the appeal it names, if any."""
    path, appeal_id = key.split(" ", 1)[1], None
    target = request["target"]
    if target in ("own", "other") and "{appeal_id}" in path:
        appeal_id = await routed_appeal(OWN if target == "own" else OTHER)
        if request["held"]:  # by the caller, or by a ЦУР operator
            holder = request["role"] if request["held"] == "me" else request["held"]
            await act(world.clients[holder], appeal_id, "claim")
    value = {"own": str(appeal_id), "other": str(appeal_id), "unknown": str(uuid.uuid4())}
    path = path.replace("{appeal_id}", value.get(target, _quote(request["odd_path"])))
    # No delivery of that id: the handler still runs its checks (who may, which appeal).
    delivery = str(uuid.uuid4()) if target in value else _quote(request["odd_path"])
    path = path.replace("{delivery_id}", delivery)
    agency = {"own": OWN, "other": OTHER, "unknown": "no-such-agency"}
    for name in ("{agency_id}", "{body_id}"):
        path = path.replace(name, agency.get(target, _quote(request["odd_path"])))
    version = {"own": "1", "other": "2", "unknown": "999999"}  # a directory or rules version
    return path.replace("{version}", version.get(target, _quote(request["odd_path"]))), appeal_id


async def _headers(request: dict[str, Any], appeal_id: uuid.UUID | None) -> dict[str, Any]:
    version = await current_version(appeal_id) if appeal_id else 1
    if_match = {"current": f'"{version}"', "weak": f'W/"{version}"', "stale": f'"{version - 1}"'}
    raw = request["if_match"]
    headers = {
        "If-Match": if_match.get(raw, raw) if isinstance(raw, str) else raw,
        "Idempotency-Key": request["idempotency_key"],
        "Content-Type": request["content_type"],
    }
    return {k: v for k, v in headers.items() if v is not None}


def action_of(path: str) -> str:
    """What MAY calls the operation at `path`: its last segment, `admin` under /v1/admin/,
    `read` for the GETs of appeals and queues."""
    if path.startswith("/v1/admin/"):
        return "admin"
    segment = path.rsplit("/", 1)[-1]
    return segment if segment in ACTIONS or segment in ("me", "agencies") else "read"


def fill_path(path: str, appeal_id: uuid.UUID | str) -> str:
    """A path with its parameters filled in simply: the appeal, the own agency, version 1."""
    path = path.replace("{appeal_id}", str(appeal_id)).replace("{version}", "1")
    return path.replace("{agency_id}", OWN).replace("{body_id}", OWN)


def check(response: httpx.Response, marker: str | None = None) -> None:
    """Never a 5xx; a 4xx says why in JSON and does not repeat what was sent."""
    if currently_in_test_context():  # the spread of answers: --hypothesis-show-statistics
        event(f"{response.request.method} {response.status_code}")
    assert response.status_code < 500, response.text
    if response.status_code < 300:
        response.json()
    elif response.status_code >= 400:
        assert response.headers.get("content-type", "").startswith("application/json")
        assert response.json()["detail"], response.text
        assert marker is None or marker not in response.text, response.text
