"""The chain's health for the Audit page: verification, the latest checkpoint, the evidence bundle."""

from __future__ import annotations

import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.engine import Engine

from audit.checkpoint import load_signing_key
from audit.export import export_bundle
from audit.verify import load_checkpoints, verify_ledger
from core.models import utcnow
from core.settings import HubSettings, get_settings

__all__ = ["Bundle", "CheckpointView", "Verification", "export_zip", "latest_checkpoint", "verify"]


class CheckpointView(BaseModel):
    seq: int
    hash: str
    signed_at: str
    public_key: str


class Verification(BaseModel):
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    checkpoints: int
    problem: str | None
    checked_at: datetime
    seconds: float


class Bundle(BaseModel):
    path: Path
    filename: str
    from_seq: int
    to_seq: int
    count: int


def verify(engine: Engine, settings: HubSettings | None = None) -> Verification:
    """Recompute every hash and link from seq 1 and check each checkpoint against the keys the hub
    trusts (``audit.verify``, ``audit.trust``)."""
    started = time.perf_counter()
    result = verify_ledger(engine, settings=settings)
    return Verification(
        ok=result.ok,
        count=result.count,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        checkpoints=result.checkpoints,
        problem=result.problem,
        checked_at=utcnow(),
        seconds=round(time.perf_counter() - started, 3),
    )


def latest_checkpoint(engine: Engine) -> CheckpointView | None:
    found = load_checkpoints(engine)
    if not found:
        return None
    cp = found[-1]
    return CheckpointView(
        seq=int(cp["seq"]),
        hash=str(cp["hash"]),
        signed_at=str(cp["signed_at"]),
        public_key=str(cp["public_key"]),
    )


def export_zip(
    engine: Engine, from_seq: int = 1, to_seq: int | None = None, settings: HubSettings | None = None
) -> Bundle:
    """``audit.export.export_bundle`` into a temporary folder, zipped under one top folder.

    The caller deletes ``Bundle.path`` once sent. Raises ``LedgerKeyError`` without a signing key and
    ``InputError`` for an empty range.
    """
    key = load_signing_key(settings or get_settings())
    with tempfile.TemporaryDirectory(prefix="synchub-bundle-") as tmp:
        folder = Path(tmp) / "bundle"
        manifest = export_bundle(engine, key, folder, from_seq, to_seq)
        top = f"synchub-audit-{manifest['from_seq']}-{manifest['to_seq']}"
        fd, name = tempfile.mkstemp(prefix="synchub-bundle-", suffix=".zip")
        with open(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in sorted(folder.iterdir()):
                archive.write(item, f"{top}/{item.name}")
    return Bundle(
        path=Path(name),
        filename=f"{top}.zip",
        from_seq=int(manifest["from_seq"]),
        to_seq=int(manifest["to_seq"]),
        count=int(manifest["count"]),
    )
