"""API keys of generic-API sources: shown once in full when issued, stored only as a digest."""

import hashlib
import secrets
from dataclasses import dataclass, field

KEY_PREFIX = "ik_"
# "ik_" and 8 characters: enough to tell a source's keys apart in a list, far too few to guess.
PREFIX_LENGTH = 11


@dataclass(frozen=True)
class ApiKey:
    """A key as stored: which source it opens, its digest and a short prefix; never the key."""

    id: str
    page_id: str
    prefix: str
    digest: str = field(repr=False)


def new_key() -> str:
    """A fresh key: 256 bits from the OS's CSPRNG."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    """What is stored and looked up: a plain sha256 is enough for a key this random."""
    return hashlib.sha256(key.encode(errors="replace")).hexdigest()


def key_prefix(key: str) -> str:
    """The part of a key that may be shown and logged, to say which key was used."""
    return key[:PREFIX_LENGTH]
