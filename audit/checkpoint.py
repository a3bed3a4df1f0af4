"""Signed checkpoints of the chain head (Ed25519).

A checkpoint says "at seq N the head hash was H", signed with a key the database does not hold. Kept
outside the database (exported, mailed to the auditor, posted to a group), it detects what a hash
chain alone cannot: a truncated tail and a history rewritten and re-hashed from the start.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from audit.bundle_verify import checkpoint_message
from audit.encoding import format_timestamp
from audit.models import AuditCheckpoint, AuditHead
from core.errors import LedgerKeyError
from core.models.base import utcnow
from core.settings import HubSettings

__all__ = ["create_checkpoint", "generate_key_file", "load_signing_key", "public_key_hex"]


def _parse_key(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise LedgerKeyError("the audit signing key is not an Ed25519 key")
        return key
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise LedgerKeyError("a base64 audit signing key must hold exactly 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_signing_key(settings: HubSettings) -> Ed25519PrivateKey:
    try:
        if settings.audit_signing_key is not None:
            return _parse_key(settings.audit_signing_key.get_secret_value())
        path = settings.audit_signing_key_file
        if not path.exists():
            raise LedgerKeyError(
                f"no audit signing key: set SYNCHUB_AUDIT_SIGNING_KEY or run `synchub audit keygen` "
                f"to create {path}"
            )
        return _parse_key(path.read_text(encoding="ascii"))
    except (ValueError, TypeError) as exc:
        raise LedgerKeyError(f"the audit signing key cannot be read: {exc}") from None


def generate_key_file(path: Path) -> str:
    """Write a new private key (PEM, mode 0600) and return its public key in hex."""
    if path.exists():
        raise LedgerKeyError(f"{path} exists already; refusing to overwrite a signing key")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return public_key_hex(key)


def public_key_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return key.sign(message).hex()


def create_checkpoint(engine: Engine, key: Ed25519PrivateKey) -> dict[str, object]:
    """Sign the current head and append the checkpoint; returns it as a dict."""
    with engine.begin() as conn:
        query = select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        head = conn.execute(query).one()
        signed_at = format_timestamp(utcnow())
        row: dict[str, object] = {
            "seq": int(head.last_seq),
            "hash": str(head.last_hash),
            "signed_at": signed_at,
            "public_key": public_key_hex(key),
            "signature": sign(key, checkpoint_message(int(head.last_seq), str(head.last_hash), signed_at)),
        }
        conn.execute(insert(AuditCheckpoint).values(**row))
    return row
