"""Page credentials at rest: Fernet (AES-128-CBC with HMAC-SHA256) under the keys of
INGEST_CREDENTIAL_KEYS. The first key encrypts, every key decrypts, so a new key can be put in
front and the old one removed once `python -m ingest.pages rekey` has re-encrypted everything
(docs/ingest.md, "Credentials at rest").

A stored value is `fernet:` followed by the Fernet token. A value without the prefix is legacy
plaintext, written before revision 0003: it is read as it is and encrypted by the next write of
its page or by `rekey`.
"""

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"
# Public (it is in the repository): accepted only with ENVIRONMENT=development (settings.py).
DEV_CREDENTIAL_KEY = base64.urlsafe_b64encode(b"dev-only-ingest-credential-key!!").decode()


class CredentialKeyError(ValueError):
    """A stored credential opens with none of the configured keys (never says which value)."""


def parse_keys(raw: str) -> list[str]:
    """The comma-separated keys of INGEST_CREDENTIAL_KEYS; ValueError naming a bad one by
    position only (the message may reach a log)."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise ValueError("INGEST_CREDENTIAL_KEYS holds no key")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:  # binascii.Error included
            raise ValueError(
                f"INGEST_CREDENTIAL_KEYS: key {position} is not a Fernet key (32 url-safe "
                "base64-encoded bytes, as `Fernet.generate_key()` makes)"
            ) from None
    return keys


def is_encrypted(stored: str) -> bool:
    """Whether a stored value is ciphertext (as opposed to legacy plaintext)."""
    return stored.startswith(PREFIX)


class CredentialCipher:
    """Encrypts credentials with the first key, decrypts with any of them."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("a credential cipher needs at least one key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, value: str) -> str:
        """The value as stored: prefixed ciphertext under the first key."""
        return PREFIX + self._fernet.encrypt(value.encode()).decode("ascii")

    def decrypt(self, stored: str) -> str:
        """The plaintext of a stored value; CredentialKeyError when no key opens it."""
        if not is_encrypted(stored):
            return stored  # legacy plaintext (module docstring)
        try:
            token = stored.removeprefix(PREFIX).encode("ascii")
            return self._fernet.decrypt(token).decode()
        except (InvalidToken, UnicodeError):
            # `from None`: InvalidToken says nothing useful, and nothing of the value may show.
            raise CredentialKeyError(
                "a stored page credential opens with none of the keys in "
                "INGEST_CREDENTIAL_KEYS (was the key it was encrypted with removed before "
                "`python -m ingest.pages rekey` ran?)"
            ) from None

    def rekeyed(self, stored: str) -> str:
        """The same credential encrypted anew under the first key (legacy plaintext too)."""
        return self.encrypt(self.decrypt(stored))
