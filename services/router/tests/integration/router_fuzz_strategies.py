"""The fuzzers' requests, derived from the app's OpenAPI document, so a new endpoint is fuzzed
without editing the tests: path, query and header parameters and bodies, valid and broken
(NUL and lone surrogates, 64-bit overflows, wrong types, extra fields, deep nesting, broken
UTF-8, over the size limit: ingest's payloads), garbage If-Match, cursors and idempotency
keys. Free text carries `PLACEHOLDER`, which each example replaces with its own marker."""

import base64
import dataclasses
import json
import sys
import typing
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from router_fuzz_support import AGENCIES, FRESH, OPERATIONS, OTHER, OWN, PLACEHOLDER, ROLES, SPEC

from router.domain.queues import Cursor

# Hostile JSON documents live with ingest's unit fuzz tests; this run does not collect those.
sys.path.append(str(Path(__file__).resolve().parents[3] / "ingest" / "tests" / "unit"))
from ingest_fuzz_payloads import ARBITRARY_JSON, arbitrary, bodies, encode, mutated

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
        case "string" if schema.get("format") == "date":
            return st.dates().map(str)
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
        case "array":
            return st.lists(valid(schema["items"], overrides), max_size=3)
        case "object" if "patternProperties" in schema:
            [(names, values)] = schema["patternProperties"].items()
            keys = st.from_regex(names, fullmatch=True)
            return st.dictionaries(keys, valid(values, overrides), max_size=3)
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
    simple = {
        "agency_id": OTHER,
        "into": str(uuid.uuid4()),
        "id": OWN,  # a directory body's, as in the path
        "kind": "school",
        "dry_run_digest": "0" * 64,
    }
    return {name: simple.get(name, "x") for name in {*schema.get("required", ()), *fields}}
