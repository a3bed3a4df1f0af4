"""An exported bundle verifies with its own script in a clean virtualenv, and fails after any
one-byte change to any entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from audit.checkpoint import create_checkpoint, load_signing_key
from audit.export import export_bundle
from core.models import Customer, Source
from core.settings import HubSettings
from store.engine import session_scope

SIGNING_KEY = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="


@pytest.fixture(scope="session")
def clean_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv holding nothing but pip and `cryptography` (the bundle's only requirement)."""
    home = tmp_path_factory.mktemp("clean-venv")
    venv.create(home, with_pip=True, clear=True)
    python = home / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "cryptography"],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_NO_WARN_SCRIPT_LOCATION": "1"},
    )
    return python


def _run(python: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-I", str(bundle / "verify.py")], capture_output=True, text=True, cwd=bundle.parent
    )


@pytest.fixture
def bundle(store: Engine, tmp_path: Path) -> Path:
    key = load_signing_key(HubSettings(audit_signing_key=SIGNING_KEY))
    with session_scope(store) as s:
        s.add_all(
            [Source(name="douyin", kind="ocean_engine"), Customer(name="杭州智联", phone="+8613812345678")]
        )
    create_checkpoint(store, key)
    with session_scope(store) as s:
        s.get(Customer, 1).owner = "王经理"  # type: ignore[union-attr]
    create_checkpoint(store, key)
    out = tmp_path / "bundle"
    manifest = export_bundle(store, key, out)
    assert manifest["count"] == 3
    return out


def test_bundle_verifies_in_a_clean_virtualenv(clean_python: Path, bundle: Path) -> None:
    result = _run(clean_python, bundle)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 3 entries" in result.stdout
    assert "13812345678" not in (bundle / "entries.jsonl").read_text(encoding="utf-8")


def test_any_one_byte_change_to_any_entry_fails(clean_python: Path, bundle: Path) -> None:
    entries = bundle / "entries.jsonl"
    original = entries.read_bytes()
    lines = original.split(b"\n")[:-1]
    offset = 0
    for line in lines:
        for position in (offset + 2, offset + len(line) // 2, offset + len(line) - 2):
            data = bytearray(original)
            data[position] = ord("A") if data[position] != ord("A") else ord("B")
            entries.write_bytes(bytes(data))
            result = _run(clean_python, bundle)
            assert result.returncode == 1, f"byte {position} changed but the bundle still verifies"
            assert result.stdout.startswith("FAILED:")
        offset += len(line) + 1
    entries.write_bytes(original)
    assert _run(clean_python, bundle).returncode == 0


def test_a_consistent_forgery_without_the_key_fails(clean_python: Path, bundle: Path) -> None:
    """An attacker who edits an entry, re-hashes the chain and fixes the manifest digests still fails:
    the manifest and checkpoints are signed."""
    sys.path.insert(0, str(bundle))
    try:
        import verify as bundled  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(bundle))
    entries = [json.loads(x) for x in (bundle / "entries.jsonl").read_text("utf-8").splitlines()]
    prev = "0" * 64
    for entry in entries:
        entry["actor"] = "mallory" if entry["seq"] == 2 else entry["actor"]
        entry["prev_hash"] = prev
        entry["hash"] = prev = bundled.entry_hash(entry)
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
    (bundle / "entries.jsonl").write_text(text, encoding="utf-8")
    manifest: dict[str, Any] = json.loads((bundle / "manifest.json").read_text("utf-8"))
    import hashlib

    manifest["files"]["entries.jsonl"] = hashlib.sha256(text.encode()).hexdigest()
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _run(clean_python, bundle)
    assert result.returncode == 1
    assert "manifest: signature does not verify" in result.stdout
