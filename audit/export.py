"""The offline evidence bundle: entries, checkpoints, public key, a signed manifest and the verifier.

The auditor runs ``python verify.py`` inside the folder with nothing but Python and ``cryptography``.
Personal values are not exported: entries carry their salted digests only.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit import bundle_verify
from audit.bundle_verify import GENESIS_HASH, manifest_message
from audit.checkpoint import public_key_hex, sign
from audit.models import AuditLog
from audit.trust import configured_keys
from audit.verify import iter_entries, load_checkpoints
from core.errors import InputError
from core.settings import get_settings

__all__ = ["export_bundle"]

_README = """SyncHub audit evidence bundle

entries.jsonl     ledger entries seq {from_seq}..{to_seq}, one JSON object a line
checkpoints.json  signed checkpoints of the chain head within that range
public_key.hex    the Ed25519 public key that signed manifest.json (and the newer checkpoints)
trusted_keys.txt  older public keys (rotated out) whose checkpoints the signer vouches for
manifest.json     SHA-256 of every file above, signed
verify.py         the verifier: python verify.py --trust KEY   (needs Python 3.11+ and `cryptography`)

Pass the public key the company gave you through another channel as KEY; verify.py prints the
fingerprint of the key it trusted. Without --trust it only shows that the bundle is self-consistent.
"""


def export_bundle(
    engine: Engine,
    key: Ed25519PrivateKey,
    out: Path,
    from_seq: int = 1,
    to_seq: int | None = None,
    vouched: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Write the bundle; ``vouched``: older public keys to list in ``trusted_keys.txt`` (default: the
    configured ``audit_trusted_keys``), so checkpoints signed before a key rotation still verify.
    ``progress(done, total)`` hears of the entries written."""
    entries = list(iter_entries(engine, from_seq, to_seq))
    if not entries:
        raise InputError(f"no ledger entries from seq {from_seq} to {to_seq or 'the end'}")
    to_seq = int(entries[-1]["seq"])
    prev_hash = GENESIS_HASH if from_seq == 1 else _hash_at(engine, from_seq - 1)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "entries.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
        for done, entry in enumerate(entries, 1):
            handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            if progress is not None and (done % 10_000 == 0 or done == len(entries)):
                progress(done, len(entries))
    checkpoints = [cp for cp in load_checkpoints(engine) if from_seq <= cp["seq"] <= to_seq]
    for cp in checkpoints:
        cp.pop("id", None)
    (out / "checkpoints.json").write_text(json.dumps(checkpoints, indent=1), encoding="utf-8")
    pub = public_key_hex(key)
    (out / "public_key.hex").write_text(pub + "\n", encoding="ascii")
    older = sorted(set(configured_keys(get_settings()) if vouched is None else vouched) - {pub})
    (out / "trusted_keys.txt").write_text("".join(f"{k}\n" for k in older), encoding="ascii")
    (out / "README.txt").write_text(_README.format(from_seq=from_seq, to_seq=to_seq), encoding="utf-8")
    shutil.copyfile(bundle_verify.__file__, out / "verify.py")
    names = (
        "entries.jsonl",
        "checkpoints.json",
        "public_key.hex",
        "trusted_keys.txt",
        "verify.py",
        "README.txt",
    )
    files = {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in names}
    manifest: dict[str, Any] = {
        "from_seq": from_seq,
        "to_seq": to_seq,
        "count": len(entries),
        "prev_hash": prev_hash,
        "public_key": pub,
        "files": files,
    }
    manifest["signature"] = sign(key, manifest_message(manifest))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def _hash_at(engine: Engine, seq: int) -> str:
    with engine.connect() as conn:
        found = conn.execute(select(AuditLog.hash).where(AuditLog.seq == seq)).scalar_one_or_none()
    if found is None:
        raise InputError(f"no ledger entry at seq {seq}")
    return str(found)
