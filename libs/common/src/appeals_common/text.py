"""Text a person typed, as the APIs accept it: PostgreSQL cannot store a NUL character, and a
lone surrogate (valid in JSON's \\u escapes) cannot be encoded as UTF-8, so both are refused
at the edge with a 422 instead of failing in the database as a 500."""

from typing import Annotated

from pydantic import AfterValidator


def storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must not contain lone surrogates") from None
    return value


StorableText = Annotated[str, AfterValidator(storable)]
