"""Console password hashes: argon2id through argon2-cffi; the older scrypt hashes still verify and
are replaced by argon2id at the user's next login (:func:`needs_upgrade`).

The cost (19 MiB, 2 passes, 1 lane: OWASP's first argon2id setting) is paid in a worker thread
(:mod:`hub.web.login`), never on the event loop; one lane keeps one hash on one core.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["burn_time", "hash_password", "needs_upgrade", "verify_password"]

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16)
_SCRYPT = "scrypt$"


def hash_password(password: str) -> str:
    """A new argon2id hash (PHC string ``$argon2id$v=19$m=19456,t=2,p=1$salt$hash``)."""
    return _HASHER.hash(password)


def _verify_scrypt(password: str, stored: str) -> bool:
    """The hashes written before argon2id: ``scrypt$N$r$p$salt$hash`` (base64)."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, expected)


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (argon2id, or a legacy scrypt hash); never raises."""
    if stored.startswith(_SCRYPT):
        return _verify_scrypt(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_upgrade(stored: str) -> bool:
    """A hash to replace after a successful login: scrypt, or argon2 with other parameters."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(24))


def burn_time(password: str) -> None:
    """Same cost as a real check, for unknown users: timing does not tell which names exist."""
    verify_password(password, _dummy_hash())
