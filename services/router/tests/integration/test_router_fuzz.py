"""Property-based fuzzing of every router endpoint with a token of each role, on the real
database. The JSON API's requests are derived from the app's OpenAPI document, so a new
endpoint is fuzzed without editing this file: path, query and header parameters and bodies,
valid and broken (NUL and lone surrogates, 64-bit overflows, wrong types, extra fields, deep
nesting, broken UTF-8, over the size limit: ingest's payloads), garbage If-Match, cursors and
idempotency keys. The console's routes are read from the app and fuzzed through their forms.

Properties: never a 5xx; an API 4xx is JSON with a `detail` that does not repeat a marker
sent in every free-text string; a valid request by a role that may make it succeeds.
Reproducible: derandomized, no example database; fresh appeals per example.
"""

import base64
import dataclasses
import json
import sys
import typing
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from hypothesis import HealthCheck, event, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from router_support import act, caller, current_version, routed_appeal, router_app

from router.adapters.agency_directory_file import load_agency_directory
from router.console.commands import BUILDERS
from router.console.queue import FILTERS
from router.domain.queues import Cursor
from router.main import app

# Hostile JSON documents live with ingest's unit fuzz tests; this run does not collect those.
sys.path.append(str(Path(__file__).resolve().parents[3] / "ingest" / "tests" / "unit"))
from ingest_fuzz_payloads import ARBITRARY_JSON, arbitrary, bodies, encode, mutated

pytestmark = pytest.mark.integration
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
ACTIONS = {"claim", "release", "answer", "reassign", "return", "not-appeal", "merge", "notes"}
MAY = {
    "staff": {"me", "agencies", "read", *ACTIONS} - {"reassign", "not-appeal"},
    "cur": {"me", "agencies", "read", *ACTIONS},
    "governor": {"me", "agencies", "read"},
    "admin": {"me", "agencies"},
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


class World:
    """The callers by role, and their tokens (for the console's cookie)."""

    def __init__(self, clients: dict[str, httpx.AsyncClient], tokens: dict[str, str]) -> None:
        self.clients, self.tokens = clients, tokens

    def __repr__(self) -> str:  # a failing example prints its fixtures: not the tokens
        return "World(...)"


@pytest.fixture(scope="module")
async def world(infra, identity) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KAFKA_GROUP_SUFFIX", f"-fuzz-{uuid.uuid4().hex[:6]}")
        env.setenv("ROUTER_SLA_URL", "http://127.0.0.1:9")  # the card's SLA: refused at once
        async with router_app():
            tokens = {
                who: identity.token(**claims) if claims else identity.token("cur-operator")
                for who, claims in ROLES.items()
            }
            clients = {who: caller({"Authorization": f"Bearer {t}"}) for who, t in tokens.items()}
            clients["console"] = caller({})  # the session goes in a cookie, per request
            yield World(clients, tokens)
            for client in clients.values():
                await client.aclose()


def _fresh_marker() -> str:
    return f"mk{uuid.uuid4().hex[:12]}"


# --- values from the OpenAPI document -----------------------------------------------------

_STORABLE = st.characters(codec="utf-8", exclude_characters="\x00")  # what StorableText keeps


def _schema(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def valid(schema: dict[str, Any], overrides: dict[str, st.SearchStrategy[Any]]) -> Any:
    """A value the schema accepts; free text carries the marker's placeholder."""
    schema = _schema(schema)
    if "anyOf" in schema:
        return st.one_of([valid(s, overrides) for s in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    low, high = schema.get("minLength", 0), schema.get("maxLength", 1000)
    match schema.get("type"):
        case "string" if schema.get("format") == "uuid":
            return st.uuids().map(str)
        case "string" if "pattern" in schema:
            text = st.from_regex(schema["pattern"], fullmatch=True)
            return text.filter(lambda s: low <= len(s) <= high)
        case "string":
            text = st.text(_STORABLE, min_size=max(0, low - len(PLACEHOLDER)), max_size=300)
            return text.map(lambda s: (PLACEHOLDER + s)[:high])
        case "integer":
            return st.integers(schema.get("minimum"), schema.get("maximum"))
        case "boolean":
            return st.booleans()
        case "null":
            return st.none()
        case "object":
            fields = {
                k: overrides.get(k, valid(v, overrides)) for k, v in schema["properties"].items()
            }
            required = set(schema.get("required", ()))
            return st.fixed_dictionaries(
                {k: v for k, v in fields.items() if k in required},
                optional={k: v for k, v in fields.items() if k not in required},
            )
    raise NotImplementedError(f"teach the fuzzer this schema: {schema}")


WIRE_ODD = [
    *["", " ", "\x00", "a\x00b", "\ud800", "\udfff\ud800", "%00", "\u202e", "🙂"],
    *["9223372036854775808", "-9223372036854775809", "-1", "0", "1e3", "NaN", "²", "١٢"],
    *["true", "null", "[]", "{}", "x" * 600, "x" * 5_000, "../..", PLACEHOLDER],
]


def _param(name: str, schema: dict[str, Any], overrides: dict[str, Any]) -> Any:
    return overrides.get(name, valid(schema, overrides))


_TWEAKS = st.sampled_from(["\x00", "\ud800", "²", " ", PLACEHOLDER])


def wire(name: str, schema: dict[str, Any]) -> Any:
    """A parameter's text on the wire, odd: a valid one tweaked, an odd one, or anything."""
    tweaked = st.tuples(_param(name, schema, GOOD).map(lambda v: _text(v) or ""), _TWEAKS)
    return st.one_of(
        tweaked.map("".join),
        st.sampled_from(WIRE_ODD),
        st.text(st.characters(codec=None), max_size=80),
        *([odd_cursors()] * 3 if name == "cursor" else []),
    )


_TIMES = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC))
_CURSOR_PARTS = {datetime: _TIMES, bool: st.booleans(), uuid.UUID: st.uuids()}


def cursors() -> st.SearchStrategy[str]:
    """Cursors this API could have given out: each field of `Cursor` by its type, times aware
    and in a sane range."""
    hints = typing.get_type_hints(Cursor)
    built = {
        f.name: _CURSOR_PARTS.get(hints[f.name], st.from_type(hints[f.name]))
        for f in dataclasses.fields(Cursor)
    }
    return st.builds(Cursor, **built).map(Cursor.encode)


def _cursor_doc(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def _cursor_text(doc: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")


_ZONES = [UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=14))]
_EDGE_TIMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-01-10T09:15:00"]
_ODD_PARTS = st.one_of(
    st.sampled_from(_EDGE_TIMES),
    st.datetimes(timezones=st.sampled_from(_ZONES)).map(datetime.isoformat),
    ARBITRARY_JSON,
)


@st.composite
def odd_cursors(draw: st.DrawFn) -> str:
    """A cursor this API gave out, as base64 of JSON, with one or two of its parts replaced
    (any time, any type), one removed or added; or any JSON at all."""
    doc = _cursor_doc(draw(cursors()))
    for _ in range(draw(st.integers(1, 2))):
        at = draw(st.integers(0, len(doc)))
        how = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        if how == "add" or at == len(doc):
            doc.insert(at, draw(_ODD_PARTS))
        elif how == "remove":
            del doc[at]
        else:
            doc[at] = draw(_ODD_PARTS)
    return _cursor_text(draw(st.just(doc) | ARBITRARY_JSON))


def _quote(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")  # a lone surrogate: broken UTF-8


def _query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs)


def _unique(data: bytes | str, marker: str) -> Any:
    if isinstance(data, str):
        return data.replace(PLACEHOLDER, marker)
    return data.replace(PLACEHOLDER.encode(), marker.encode())


# --- the JSON API: anything ---------------------------------------------------------------

IF_MATCH_GARBAGE = [b'"abc"', b'W/"1"', b"*", b'"' + b"9" * 100 + b'"', b'"\xb2"', b'""', b"-1"]
IF_MATCH = st.one_of(
    st.sampled_from([None, "stale"]),
    st.sampled_from(IF_MATCH_GARBAGE),
    st.binary(max_size=70),
)
IDEMPOTENCY_KEYS = st.none() | st.from_regex(r"[\x21-\x7e]{1,128}", fullmatch=True)
BAD_IDEMPOTENCY_KEYS = st.sampled_from(
    [b"", b"a b", b"\x00", b"x" * 200, PLACEHOLDER.encode(), b"\xb2"]
) | st.binary(max_size=140)
CONTENT_TYPES = st.sampled_from(["text/plain", "application/x-www-form-urlencoded", ""])
DIRECTORY = load_agency_directory(ROOT / "config" / "agencies.yaml")
AGENCIES = [a.id for a in DIRECTORY.agencies]
# Stands for an appeal routed for the example, to merge into: the same length as its id.
FRESH = "00000000-0000-4000-8000-00000000f00d"
# Values the schema cannot tell: cursors this API gives out, agencies in the directory (now
# and then a made-up one that carries the marker), appeals to merge into.
GOOD = {
    "cursor": cursors(),
    "agency_id": st.just(f"no-such-{PLACEHOLDER}") | st.sampled_from(AGENCIES),
    "into": st.just(FRESH) | st.uuids().map(str),
}
_QUERY_NAMES = sorted({p["name"] for o in OPERATIONS.values() for p in o.get("parameters", ())})


def _text(value: Any) -> str | None:
    """A parameter's value as the query string writes it."""
    return json.dumps(value) if isinstance(value, bool) else None if value is None else str(value)


def _parameters(operation: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p["schema"] for p in operation.get("parameters", ()) if p["in"] == where}


PARTS = ("target", "query", "if_match", "idempotency_key", "content_type", "body")


@st.composite
def hostile_request(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """A valid request to the operation with none, one or two of its parts broken."""
    operation, broken = OPERATIONS[key], draw(st.sets(st.sampled_from(PARTS), max_size=2))

    def part(name: str, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
        return draw(bad if name in broken else good, label=name)

    parameters = _parameters(operation, "query")
    query = [
        (name, draw(_param(name, schema, GOOD).map(_text), label=name))
        for name, schema in parameters.items()
        if draw(st.booleans())
    ]
    if "query" in broken:  # one parameter odd: its own, or another endpoint's, or unknown
        name = draw(st.sampled_from([*parameters, *_QUERY_NAMES, "x"]), label="odd parameter")
        odd = (name, draw(wire(name, parameters.get(name, {"type": "string"})), label="odd"))
        query = [(k, v) for k, v in query if k != name or draw(st.booleans())] + [odd]
    body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json")
    docs = valid(body_schema["schema"], GOOD) if body_schema else st.just({})
    return {
        "role": draw(st.sampled_from(list(ROLES))),
        "held": draw(st.sampled_from([None, None, "me", "cur"])),
        "target": part("target", st.just("own"), st.sampled_from(["other", "unknown", "odd"])),
        "odd_path": draw(st.sampled_from([PLACEHOLDER, *WIRE_ODD[:12]]) | st.text(max_size=40)),
        "query": [(k, v) for k, v in query if v is not None],
        "if_match": part("if_match", st.sampled_from(["current", "weak"]), IF_MATCH),
        "idempotency_key": part("idempotency_key", IDEMPOTENCY_KEYS, BAD_IDEMPOTENCY_KEYS),
        "content_type": part("content_type", st.just("application/json"), CONTENT_TYPES),
        "body": part(
            "body",
            docs.map(lambda doc: encode(doc, ascii_only=True)),
            docs.flatmap(mutated).flatmap(bodies) | arbitrary() | st.none(),
        ),
    }


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
    agency = {"own": OWN, "other": OTHER, "unknown": "no-such-agency"}
    return path.replace("{agency_id}", agency.get(target, _quote(request["odd_path"]))), appeal_id


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


@pytest.mark.parametrize("key", sorted(OPERATIONS))
@FUZZ
@given(data=st.data())
async def test_any_request_by_any_role_is_answered_never_a_500(
    world: World, key: str, data: st.DataObject
) -> None:
    request = data.draw(hostile_request(key), label="request")
    marker = _fresh_marker()
    path, appeal_id = await _path(world, key, request)
    url = f"{_unique(path, marker)}?{_unique(_query(request['query']), marker)}"
    headers = {k: _unique(v, marker) for k, v in (await _headers(request, appeal_id)).items()}
    body = _unique(request["body"], marker) if request["body"] is not None else None
    if body is not None and FRESH.encode() in body:
        into = await routed_appeal(OWN, "Та же яма, второй раз")
        body = body.replace(FRESH.encode(), str(into).encode())

    response = await world.clients[request["role"]].request(
        key.split(" ", 1)[0], url, content=body, headers=headers
    )

    check(response, marker)


# --- the JSON API: valid requests ---------------------------------------------------------


@st.composite
def valid_request(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """A request the schema and the directory accept, by any role."""
    operation, role = OPERATIONS[key], draw(st.sampled_from(list(ROLES)))
    others = [a for a in AGENCIES if a != OWN]
    overrides = {"cursor": cursors(), "agency_id": st.sampled_from(others)}
    query = {
        name: draw(_param(name, schema, overrides))
        for name, schema in _parameters(operation, "query").items()
        if draw(st.booleans())
    }
    body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = draw(valid(body_schema["schema"], overrides)) if body_schema else None
    key_header = _parameters(operation, "header").get("idempotency-key")
    return {
        "role": role,
        "agency": OWN if role == "staff" else draw(st.sampled_from(AGENCIES)),
        "appeal_form": draw(st.sampled_from([str, lambda u: str(u).upper(), lambda u: u.hex])),
        "query": {k: v for k, v in query.items() if v is not None},
        "body": body,
        "weak": draw(st.booleans()),
        "idempotency_key": draw(st.none() | valid(key_header, {})) if key_header else None,
    }


@pytest.mark.parametrize("key", sorted(OPERATIONS))
@examples(FUZZ, max_examples=25)
@given(data=st.data())
async def test_a_valid_request_by_a_role_that_may_make_it_succeeds(
    world: World, key: str, data: st.DataObject
) -> None:
    request = data.draw(valid_request(key), label="request")
    method, path = key.split(" ", 1)
    role, client = request["role"], world.clients[request["role"]]
    body, appeal_id = request["body"], uuid.uuid4()
    if "{appeal_id}" in path:
        appeal_id = await routed_appeal(OWN)
    if path.endswith("/release"):  # something to release: held by the caller
        await act(client, appeal_id, "claim")
    if path.endswith("/merge"):
        body = {**body, "into": str(await routed_appeal(OWN, "Та же яма, второй раз"))}
    version = await current_version(appeal_id)
    headers = {"If-Match": f'W/"{version}"' if request["weak"] else f'"{version}"'}
    if request["idempotency_key"]:
        headers["Idempotency-Key"] = request["idempotency_key"]
    path = path.replace("{appeal_id}", request["appeal_form"](appeal_id))
    path = path.replace("{agency_id}", request["agency"])

    response = await client.request(
        method, path, params=request["query"], json=body, headers=headers
    )

    segment = path.rsplit("/", 1)[-1]
    action = segment if segment in ACTIONS or segment in ("me", "agencies") else "read"
    # `force` frees another's claim, which only the ЦУР may: staff get 403 even on their own.
    force = isinstance(body, dict) and body.get("force")
    event(f"{role} {response.status_code}")
    if action in MAY[role] and not (force and role == "staff"):
        assert 200 <= response.status_code < 300, response.text
    else:
        assert response.status_code in (403, 404), response.text


# --- the JSON API: explicit cases in every field --------------------------------------------


def _object_schema(operation: dict[str, Any]) -> dict[str, Any]:
    """The body's object schema (release's may be null), or an empty one."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    schema = _schema(content["schema"]) if content else {}
    return next((_schema(s) for s in schema.get("anyOf", ()) if "$ref" in s), schema)


def _string_fields() -> Iterator[tuple[str, str]]:
    for key, operation in OPERATIONS.items():
        for name, field in _object_schema(operation).get("properties", {}).items():
            if "string" in {s.get("type") for s in [field, *field.get("anyOf", ())]}:
                yield key, name


def _minimal_body(key: str, *fields: str) -> dict[str, str]:
    """The operation's required fields (and `fields`), filled in simply."""
    schema = _object_schema(OPERATIONS[key])
    simple = {"agency_id": OTHER, "into": str(uuid.uuid4())}
    return {name: simple.get(name, "x") for name in {*schema.get("required", ()), *fields}}


BAD_TEXT = {"NUL": "\\u0000", "lone surrogate": "\\ud800", "reversed pair": "\\udc00\\ud800"}


@pytest.mark.parametrize("bad", list(BAD_TEXT))
@pytest.mark.parametrize(("key", "field"), sorted(_string_fields()))
async def test_a_nul_or_surrogate_in_any_string_field_is_422_for_every_role(
    world: World, key: str, field: str, bad: str
) -> None:
    body = _minimal_body(key, field)
    for role in ROLES:
        appeal_id, marker = await routed_appeal(OWN), _fresh_marker()
        text = json.dumps({**body, field: "@@"}).replace('"@@"', f'"{marker}{BAD_TEXT[bad]}"')
        version = await current_version(appeal_id)
        response = await world.clients[role].post(
            key.split(" ", 1)[1].replace("{appeal_id}", str(appeal_id)),
            content=text.encode(),
            headers={"Content-Type": "application/json", "If-Match": f'"{version}"'},
        )
        assert response.status_code == 422, (role, response.text)
        check(response, marker)
        assert await current_version(appeal_id) == version


# --- the JSON API: cursors, versions, sizes ------------------------------------------------

LISTINGS = sorted(k for k, o in OPERATIONS.items() if "cursor" in _parameters(o, "query"))
VERSIONED = sorted(k for k, o in OPERATIONS.items() if "if-match" in _parameters(o, "header"))


@pytest.mark.parametrize("key", LISTINGS)
@FUZZ
@given(role=st.sampled_from(list(ROLES)), cursor=odd_cursors() | st.text(max_size=600))
async def test_any_cursor_is_a_page_or_a_422_never_a_500(
    world: World, key: str, role: str, cursor: str
) -> None:
    path = key.split(" ", 1)[1].replace("{agency_id}", OWN)

    response = await world.clients[role].get(f"{path}?{_query([('cursor', cursor)])}")

    check(response)
    assert response.status_code in (200, 403, 422), response.text


# Versions as people and proxies write them, digits Python's isdigit() takes but int() does
# not (Latin-1's superscripts) among them.
IF_MATCH_TEXT = st.text(st.sampled_from('0123456789²³¹W/"*, -.a'), max_size=12)


@pytest.mark.parametrize("key", VERSIONED)
@examples(FUZZ, max_examples=40)
@given(
    if_match=st.sampled_from(IF_MATCH_GARBAGE)
    | IF_MATCH_TEXT.map(lambda t: t.encode("latin-1"))
    | st.binary(max_size=70)
)
async def test_any_if_match_is_a_precondition_answer_never_a_500(
    world: World, key: str, if_match: bytes
) -> None:
    appeal_id = await routed_appeal(OWN)
    path = key.split(" ", 1)[1].replace("{appeal_id}", str(appeal_id))

    response = await world.clients["cur"].post(
        path,
        json=_minimal_body(key),
        headers={"If-Match": if_match},  # type: ignore[dict-item]
    )

    check(response)
    assert response.status_code in (200, 201, 409, 412, 422, 428), response.text


def _oversize(size: int) -> AsyncIterator[bytes]:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(size // 8192):
            yield b" " * 8192

    return chunks()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize("key", sorted(OPERATIONS))
async def test_a_body_over_the_limit_is_413_on_every_endpoint(
    world: World, key: str, declared: bool
) -> None:
    method, path = key.split(" ", 1)
    path = path.replace("{appeal_id}", str(uuid.uuid4())).replace("{agency_id}", OWN)
    size = app.state.service.settings.max_body_bytes + 8192
    headers = {"Content-Type": "application/json", "If-Match": '"1"'}
    if declared:
        headers["Content-Length"] = str(size)

    response = await world.clients["cur"].request(
        method, path, content=_oversize(size), headers=headers
    )

    assert response.status_code == 413, response.text
    check(response)


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
