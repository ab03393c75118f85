"""Hypothesis strategies for hostile request bodies: arbitrary JSON, and valid fixtures with a
few parts broken (wrong types, huge or float numbers, NaN, deep nesting, missing and unknown
keys, absurd timestamps, NUL and lone surrogates), sent as JSON, as broken UTF-8 or oversize."""

import copy
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Raw:
    """JSON text put in the body as it is: what json.dumps cannot write (1e400, depth 5,000)."""

    text: str


# Lone surrogates (category Cs) are what a JSON `\ud800` escape decodes to.
_CHARS = st.characters(codec=None, categories=["L", "N", "P", "S", "Z", "Cc", "Cs"])
_TEXT = st.text(_CHARS, max_size=40)
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _TEXT
ARBITRARY_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_TEXT, inner, max_size=5),
    max_leaves=25,
)

_SECONDS_NOW = 1_780_000_000  # 2026
_ODD_NUMBERS = [
    0,
    -1,
    1,
    2**31,
    2**53 + 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    -(10**30),
    1.5,
    -0.0,
    1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
]
# Just before 2006, the year 3000, now in the wrong unit, in seconds and in milliseconds;
# ISO strings of year 1, year 9999, impossible dates, no time zone; digits as a string.
_ABSURD_TIMES = [
    1_136_073_599,
    32_503_680_000,
    _SECONDS_NOW * 1000,
    _SECONDS_NOW * 10**6,
    _SECONDS_NOW // 1000,
    1_136_073_599_000,
    32_503_680_000_000,
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "2026-13-45T99:00:00Z",
    "2024-11-23T09:15:00",
    "1719900000",
    "",
]
_ODD_STRINGS = [
    "",
    " ",
    "\u200b",
    "\ud800",
    "a\udfff\ud800b",
    "\x00",
    "[id1|]",
    "&#0;",
    "x" * 60_000,
]
_RAW = [
    "1e400",
    "-1e400",
    "NaN",
    "-Infinity",
    "1" * 5_000,
    "-0",
    "1E+2",
    '"\\ud800"',
    '"\\udfff\\ud800"',
    "[" * 5_000 + "]" * 5_000,
    '{"a":' * 1_200 + "1" + "}" * 1_200,
]
ODD_VALUES = (
    st.sampled_from([*_ODD_NUMBERS, *_ABSURD_TIMES, *_ODD_STRINGS, [], {}, True, None])
    | st.sampled_from(_RAW).map(Raw)
    | st.integers(1, 3_000).map(lambda depth: Raw("[" * depth + "]" * depth))
    | ARBITRARY_JSON
)


# What UTF-8, PostgreSQL or a text cleaner may trip on; NUL and surrogates weigh double.
_NASTY_CHARS = [
    *["\x00", "\ud800", "\udc00"] * 2,
    "\u202e",
    "\u0301",
    "\ufeff",
    "\u2028",
    "\\",
    '"',
    "🙂",
]


@st.composite
def tweaked(draw: st.DrawFn, value: Any) -> Any:
    """The same type, an odd value: a string with a nasty character in it, an integer in the
    wrong unit (seconds for milliseconds) or sign, or past 64 bits."""
    if isinstance(value, str):
        at = draw(st.integers(0, len(value)))
        return value[:at] + draw(st.sampled_from(_NASTY_CHARS)) + value[at:]
    if isinstance(value, int) and not isinstance(value, bool):
        return draw(st.sampled_from([value * 1000, value // 1000, -value, value + 2**64]))
    return draw(ODD_VALUES)


def paths(doc: Any, here: JsonPath = ()) -> list[JsonPath]:
    """Every place in a document a value sits, the whole document (`()`) included."""
    found = [here]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += paths(value, (*here, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += paths(value, (*here, index))
    return found


def _parent(doc: Any, path: JsonPath) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


@st.composite
def mutated(draw: st.DrawFn, valid: Any) -> Any:
    """`valid` with one to four parts replaced, tweaked, removed or added."""
    doc = copy.deepcopy(valid)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 4]))):  # one break at a time, mostly
        path = draw(st.sampled_from(paths(doc)))
        target = _parent(doc, path) if path else None
        action = draw(st.sampled_from(["replace", "tweak", "tweak", "remove", "add"]))
        if action == "add":  # an unknown key, where the value there is an object
            if isinstance(container := _at(doc, path), dict):
                container[draw(_TEXT)] = draw(ODD_VALUES)
        elif not path:  # the whole document
            doc = draw(ODD_VALUES) if action == "replace" else doc
        elif action == "replace":
            target[path[-1]] = draw(ODD_VALUES)
        elif action == "tweak":
            target[path[-1]] = draw(tweaked(target[path[-1]]))
        else:
            del target[path[-1]]
    return doc


def _at(doc: Any, path: JsonPath) -> Any:
    try:
        return _parent(doc, path)[path[-1]] if path else doc
    except (KeyError, IndexError, TypeError):
        return None


def encode(doc: Any, *, ascii_only: bool) -> bytes:
    """JSON with `Raw` parts spliced in; not ASCII-only, a lone surrogate is broken UTF-8."""
    raws: list[str] = []

    def placeholder(value: object) -> str:
        if not isinstance(value, Raw):
            raise TypeError(type(value))
        raws.append(value.text)
        return f"\x00raw{len(raws) - 1}\x00"

    text = json.dumps(doc, ensure_ascii=ascii_only, default=placeholder, allow_nan=True)
    for index, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{index}\x00"), raw, 1)
    return text.encode("utf-8", errors="surrogatepass")


@st.composite
def bodies(draw: st.DrawFn, doc: Any) -> bytes:
    """The document as bytes: plain, broken UTF-8, cut short, or over the body size limit."""
    how = draw(st.sampled_from(["ascii", "ascii", "ascii", "utf8", "cut", "bytes", "oversize"]))
    if how == "oversize":  # an unknown field that takes the body past INGEST_MAX_BODY_BYTES
        doc = {"pad": "x" * draw(st.integers(256 * 1024, 300 * 1024)), "doc": doc}
    body = encode(doc, ascii_only=how == "ascii")
    if how == "cut":
        return body[: draw(st.integers(0, max(0, len(body) - 1)))]
    if how == "bytes":
        at = draw(st.integers(0, len(body)))
        return body[:at] + draw(st.binary(min_size=1, max_size=8)) + body[at:]
    return body


def near_valid(valid_docs: list[Any]) -> st.SearchStrategy[bytes]:
    """A valid document, mutated, then encoded one of the ways above."""
    return st.sampled_from(valid_docs).flatmap(mutated).flatmap(bodies)


@st.composite
def _one_string_tweaked(draw: st.DrawFn, valid: Any) -> Any:
    doc = copy.deepcopy(valid)
    texts = [path for path in paths(doc) if path and isinstance(_at(doc, path), str)]
    if texts:
        path = draw(st.sampled_from(texts))
        _parent(doc, path)[path[-1]] = draw(tweaked(_at(doc, path)))
    return doc


def one_nasty_string(valid_docs: list[Any]) -> st.SearchStrategy[bytes]:
    """A valid document with a nasty character in one of its strings, as escaped JSON: what
    reaches the parsers intact (raw bytes would fail as UTF-8 first)."""
    return (
        st.sampled_from(valid_docs)
        .flatmap(_one_string_tweaked)
        .map(lambda doc: encode(doc, ascii_only=True))
    )


def arbitrary() -> st.SearchStrategy[bytes]:
    """Any JSON document, or any bytes at all."""
    return ARBITRARY_JSON.flatmap(bodies) | st.binary(max_size=200)
