"""Text that can be written where events go: UTF-8 has no lone surrogates (JSON's `\\ud800`
escape decodes to one) and PostgreSQL text has no NUL (`\\u0000`). An event carrying either
could not be published (a 500 at the Kafka producer) or not be stored downstream (the appeal
would end in a dead-letter topic), so a body holding one is refused where it comes in."""

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # a valid surrogate pair is one character
_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
MESSAGE = "a NUL (\\u0000) or a lone UTF-16 surrogate (\\ud800-\\udfff) is not text we can store"


def may_hold_unstorable_text(raw: bytes) -> bool:
    """A cheap look at the JSON text first: only a `\\u0000` or `\\ud800`-`\\udfff` escape can put
    such a character in a parsed body (a raw NUL is not JSON, a raw surrogate is not UTF-8)."""
    return _ESCAPE.search(raw) is not None


def has_unstorable_text(value: object) -> bool:
    """Whether any string in a parsed JSON document, keys included, holds such a character."""
    pending = [value]
    while pending:  # a loop, not recursion: the document may be nested ~1,000 deep
        item = pending.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def refuse_unstorable(value: str) -> str:
    """A pydantic validator for text fields of bodies that pydantic parses itself."""
    if _UNSTORABLE.search(value):
        raise ValueError(MESSAGE)
    return value


def printable(text: str) -> str:
    """The text with any lone surrogate written as `\\udxxx`, for messages built from input."""
    return text.encode("utf-8", errors="backslashreplace").decode("utf-8")
