"""Property-based fuzzing of the router's console: its routes are read from the app and
fuzzed through their query strings and forms, with the session cookie of each role.

Properties: never a 5xx; nothing sent comes back unescaped, no refusal repeats a marker sent
in every free-text field, and no redirect leaves the console.
Reproducible: derandomized, no example database; fresh appeals per example.
"""

import base64
import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from hypothesis import event, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from router_fuzz_strategies import _STORABLE, WIRE_ODD, cursors, odd_cursors
from router_fuzz_support import (
    AGENCIES,
    FUZZ,
    OTHER,
    OWN,
    PLACEHOLDER,
    ROLES,
    World,
    _fresh_marker,
    _query,
    _quote,
    _unique,
)
from router_support import current_version, routed_appeal

from router.console.commands import BUILDERS
from router.console.queue import FILTERS
from router.main import app

pytestmark = pytest.mark.integration

# --- the console: every route, its query strings and forms ---------------------------------

SIGN_IN = {"/console/login", "/console/logout"}  # redirects to the IdP, reading nothing sent
CONSOLE = sorted(
    (method, context.path)
    for context in iter_route_contexts(app.routes)
    if context.path and context.path.startswith("/console") and context.methods
    for method in context.methods - {"HEAD"}
    if context.path not in SIGN_IN
)
# The fields the console's code reads from query strings and forms.
FIELDS = [*FILTERS, "cursor", "v", "code", "state", "csrf", "version", "text", "comment"]
FIELDS += ["agency_id", "topic", "into", "force", "next", "idempotency_key"]
CSRF = "fuzz-csrf-token"
_ODD_TEXT = st.sampled_from(WIRE_ODD) | st.text(st.characters(codec=None), max_size=60)
# The console puts no length limit on its cursor: JSON nested deeper than Python parses.
_DEEP_CURSOR = base64.urlsafe_b64encode(b"[" * 3_000 + b"]" * 3_000).decode()
FIELD_VALUES: dict[str, st.SearchStrategy[str]] = {
    "version": st.sampled_from(["current", "current", "0", "-1", "²", "1" * 12, " 1 ", ""]),
    "v": st.sampled_from(["current", "0", "-1", "9223372036854775808", "²", ""]),
    "csrf": st.sampled_from([CSRF, CSRF, CSRF, "", "other"]),
    "into": st.sampled_from(["fresh", "fresh", "itself", str(uuid.uuid4()), "not-a-uuid"]),
    "cursor": cursors() | odd_cursors() | st.just(_DEEP_CURSOR),
    "agency": st.sampled_from(AGENCIES),
    "agency_id": st.sampled_from(AGENCIES),
    "status": st.sampled_from(["open", "claimed", "answered", "all", "x"]),
    "claimed": st.sampled_from(["any", "me", "unclaimed", "x"]),
    "due": st.sampled_from(["any", "overdue", "due_soon", "on_time", "no_deadline", "x"]),
    "urgent": st.sampled_from(["1", "0", ""]),
    "force": st.sampled_from(["1", "0", ""]),
    "next": st.sampled_from(["triage", "", "//evil.example/"]),
    "state": st.sampled_from(["fuzz-state", ""]),
}
# Free text with the marker (and a tag around it: pages escape what they show).
_FREE_TEXT = st.text(_STORABLE, max_size=200).map(lambda s: f"<q{PLACEHOLDER}>{s}")


def _field(name: str) -> st.SearchStrategy[str]:
    return st.one_of(FIELD_VALUES.get(name, _FREE_TEXT), _FREE_TEXT, _ODD_TEXT)


@st.composite
def console_request(draw: st.DrawFn, method: str, path: str) -> dict[str, Any]:
    """Fields (mostly the ones the route reads) with valid or odd values, the session cookie
    of a role, the CSRF cookie (mostly) and an htmx header (sometimes)."""
    names = draw(st.lists(st.sampled_from([*FIELDS, "x"]), max_size=8), label="fields")
    pairs = [(name, draw(_field(name), label=name)) for name in names]
    if method == "POST" and draw(st.integers(0, 3)):  # a form as the card sends it
        for name in ("csrf", "version", "text", "comment", "agency_id", "into"):
            pairs.append((name, draw(FIELD_VALUES.get(name, _FREE_TEXT), label=name)))
    return {
        "role": draw(st.sampled_from(list(ROLES))),
        "target": draw(st.sampled_from(["own", "own", "other", "unknown", "odd"])),
        "odd_path": draw(_ODD_TEXT),
        "action": draw(st.sampled_from([*BUILDERS, "nope", PLACEHOLDER])),
        "decision": draw(st.sampled_from(["retry", "mark-delivered", "nope", PLACEHOLDER])),
        "pairs": pairs,
        "multipart": draw(st.booleans()),
        "cookies": draw(st.sampled_from(["session csrf", "session csrf", "session", "csrf login"])),
        "htmx": draw(st.booleans()),
    }


async def _console_fill(
    request: dict[str, Any], path: str
) -> tuple[str, list[tuple[str, str]], uuid.UUID | None]:
    """The path with its appeal and action, the fields with versions and appeals to merge into
    made real."""
    appeal_id = None
    if "{appeal_id}" in path:
        target = request["target"]
        if target in ("own", "other"):
            appeal_id = await routed_appeal(OWN if target == "own" else OTHER)
        value = str(appeal_id) if appeal_id else str(uuid.uuid4())
        path = path.replace(
            "{appeal_id}", value if target != "odd" else _quote(request["odd_path"])
        )
    path = path.replace("{action}", _quote(request["action"]))
    # No such delivery: the route still checks the form, the caller and the appeal first.
    path = path.replace("{delivery_id}", str(uuid.uuid4()))
    path = path.replace("{decision}", _quote(request["decision"]))
    version = str(await current_version(appeal_id)) if appeal_id else "1"
    made: dict[str, str] = {"current": version, "itself": str(appeal_id)}
    pairs = []
    for name, value in request["pairs"]:
        if value == "fresh":
            value = str(await routed_appeal(OWN, "Та же яма, второй раз"))
        pairs.append((name, made.get(value, value)))
    return path, pairs, appeal_id


def _cookie(request: dict[str, Any], world: World) -> str:
    cookies = {
        "session": f"appeals_session={world.tokens[request['role']]}",
        "csrf": f"csrf={CSRF}",
        "login": "console_login=fuzz-state.fuzz-verifier",
    }
    return "; ".join(cookies[c] for c in request["cookies"].split())


def check_console(response: httpx.Response, marker: str) -> None:
    """Never a 5xx; nothing sent comes back unescaped, no refusal repeats it, and no redirect
    leaves the console."""
    event(f"{response.request.method} {response.status_code}")
    assert response.status_code < 500, response.text
    assert f"<q{marker}>" not in response.text, response.text
    if response.status_code >= 400:
        assert marker not in response.text, response.text
    if response.is_redirect:
        assert response.headers["location"].startswith("/console/"), response.headers


@pytest.mark.parametrize(("method", "path"), CONSOLE)
@examples(FUZZ, max_examples=40)
@given(data=st.data())
async def test_any_console_request_is_answered_never_a_500(
    world: World, method: str, path: str, data: st.DataObject
) -> None:
    request = data.draw(console_request(method, path), label="request")
    marker, client = _fresh_marker(), world.clients["console"]
    path, pairs, _ = await _console_fill(request, path)
    pairs = [(k, _unique(v, marker)) for k, v in pairs]
    headers = {"Cookie": _cookie(request, world), "HX-Request": json.dumps(request["htmx"])}

    if method == "GET":
        response = await client.get(f"{path}?{_query(pairs)}", headers=headers)
    elif request["multipart"]:
        form = {k: (None, v.encode("utf-8", "surrogatepass")) for k, v in pairs}
        response = await client.post(path, files=form, headers=headers)
    else:
        body = _query(pairs).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = await client.post(path, content=body, headers=headers)
    client.cookies.clear()  # what the console set: the next example chooses its own

    check_console(response, marker)
