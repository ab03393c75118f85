"""RSA signing keys kept as PEM files in one directory, so restarts and the CLI share them.

Layout: `<kid>.pem` per key (private, mode 0600) and `current`, naming the key new tokens
are signed with. Rotation adds a key and moves `current`; older keys stay in the JWKS, so
tokens they signed keep verifying until they expire.
"""

import base64
import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_BITS = 2048
ALGORITHM = "RS256"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWKS entry."""
        jwk = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {
            "kty": "RSA",
            "n": jwk["n"],
            "e": jwk["e"],
            "kid": self.kid,
            "use": "sig",
            "alg": ALGORITHM,
        }


class KeyStore:
    """The key directory; safe to share between the server and CLI runs (file lock)."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._loaded: dict[str, SigningKey] = {}  # a kid names its key's content: never stale

    def current(self) -> SigningKey:
        """The key new tokens are signed with; generated on first use."""
        with self._locked():
            kid = self._current_kid() or self._add()
        return self._load(kid)

    def rotate(self) -> SigningKey:
        """Add a key and make it the current one; the old ones stay published."""
        with self._locked():
            kid = self._add()
        return self._load(kid)

    def all(self) -> list[SigningKey]:
        """Every key, the current one first."""
        current = self.current()
        others = sorted(p.stem for p in self._dir.glob("*.pem") if p.stem != current.kid)
        return [current, *(self._load(kid) for kid in others)]

    def jwks(self) -> dict[str, Any]:
        """The JWKS document: every key's public half."""
        return {"keys": [key.public_jwk() for key in self.all()]}

    def _current_kid(self) -> str | None:
        try:
            kid = (self._dir / "current").read_text().strip()
        except FileNotFoundError:
            return None
        return kid if (self._dir / f"{kid}.pem").exists() else None

    def _add(self) -> str:
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        kid = thumbprint(private_key.public_key())
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_private(self._dir / f"{kid}.pem", pem)
        _write_private(self._dir / "current", kid.encode() + b"\n")
        return kid

    def _load(self, kid: str) -> SigningKey:
        if kid not in self._loaded:
            pem = (self._dir / f"{kid}.pem").read_bytes()
            private_key = serialization.load_pem_private_key(pem, password=None)
            if not isinstance(private_key, rsa.RSAPrivateKey):
                raise ValueError(f"{kid}.pem is not an RSA private key")
            self._loaded[kid] = SigningKey(kid, private_key)
        return self._loaded[kid]

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # The server and a CLI run may both find no key at first use: only one makes it.
        self._dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with (self._dir / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 JWK thumbprint: a kid that follows from the key itself."""
    jwk = RSAAlgorithm.to_jwk(public_key, as_dict=True)
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` readable by the owner only, replacing `path` in one step."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)
