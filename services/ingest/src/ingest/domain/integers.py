"""Integers that must stay exact: 64-bit ids above 2^53 (MAX and OK `seq`)."""

from typing import Annotated

from pydantic import BeforeValidator


def _exact_integer(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit():
        return value
    raise ValueError("must be an integer or a string of digits (a float loses precision)")


# Kept as a string: exact, and safe for consumers that parse JSON numbers as doubles.
ExactInteger = Annotated[str, BeforeValidator(_exact_integer)]
