"""The MAC over every stored personal value, so an edit to ``audit_personal_data`` is detected.

The chain holds ``sha256(salt || value)``, which catches an edit of the value or the salt alone, but not
a row moved to another record (``entity_type``/``entity_id`` are outside the digest: a row re-labelled
escapes the erasure of its person) nor a forged erasure. The MAC covers all of it, keyed by a secret
the database does not hold: ``HMAC-SHA256(key, digest, entity_type, entity_id, salt, value)`` with
each field length-prefixed as in the ledger encoding; an erased row's MAC covers NULL salt and value.

The key comes from ``SYNCHUB_AUDIT_PII_KEY`` or the file ``SYNCHUB_AUDIT_PII_KEY_FILE`` (default
``VAR_DIR/audit_pii.key``), created at the first write when missing; every host that writes needs
the same key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import logging
import os
import tempfile
from pathlib import Path

from audit.bundle_verify import encode_fields
from core.errors import LedgerKeyError
from core.settings import HubSettings, get_settings

__all__ = ["load_mac_key", "personal_mac", "personal_mac_key"]

_MAGIC = b"synchub-personal-mac-v1\x00"
log = logging.getLogger("synchub.audit")
_cached: tuple[HubSettings, bytes | None] | None = None


def _key_path(settings: HubSettings) -> Path:
    return settings.audit_pii_key_file or settings.var_dir / "audit_pii.key"


def _decode(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise LedgerKeyError("the personal-data MAC key is not base64") from None
    if len(raw) < 16:
        raise LedgerKeyError("the personal-data MAC key must hold at least 16 bytes")
    return raw


def _create(path: Path) -> None:
    """Write a new key atomically (a link cannot half-exist); a concurrent creator's key wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit_pii.")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, base64.b64encode(os.urandom(32)) + b"\n")
        os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def load_mac_key(settings: HubSettings, create: bool = False) -> bytes | None:
    """The key, or None when none is configured and ``create`` is false."""
    if settings.audit_pii_key is not None:
        return _decode(settings.audit_pii_key.get_secret_value())
    path = _key_path(settings)
    if not path.exists():
        if not create:
            return None
        _create(path)
    return _decode(path.read_text(encoding="ascii"))


def personal_mac_key() -> bytes | None:
    """The writers' key (created when missing), cached for the current settings object.

    None, with one warning, when no key is set and none can be created (a read-only var dir): the rows
    are then stored without a MAC, which ``synchub audit verify`` reports once a key exists, rather
    than refusing every lead that arrives.
    """
    global _cached
    settings = get_settings()
    if _cached is None or _cached[0] is not settings:
        try:
            key = load_mac_key(settings, create=True)
        except OSError as exc:
            log.warning("no personal-data MAC key (set SYNCHUB_AUDIT_PII_KEY): %s", exc)
            key = None
        _cached = (settings, key)
    return _cached[1]


def personal_mac(
    key: bytes, digest: str, entity_type: str, entity_id: str, salt: str | None, value: str | None
) -> str:
    message = encode_fields(_MAGIC, (digest, entity_type, entity_id, salt, value))
    return hmac.digest(key, message, "sha256").hex()
