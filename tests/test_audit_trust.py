"""Checkpoints and bundles count only when signed by a trusted key, and stored personal values cannot be
edited unseen (issue 18, finding 6)."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from typer.testing import CliRunner

from audit.checkpoint import create_checkpoint, load_signing_key, public_key_hex
from audit.export import export_bundle
from audit.verify import verify_ledger
from core.models import Customer
from core.settings import HubSettings, get_settings
from hub.cli.main import app
from store.engine import session_scope
from tests.ledger_tamper import rechain_from, tamper

runner = CliRunner()
KEY_A = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="  # test-only Ed25519 seeds (base64)
KEY_B = "V7q2mYl0c0Hq0f3bq2m7Hq9m6f0d4Xo1Zx8Yt5Vb3kA="


def fingerprint(public_key: str) -> str:
    """What an auditor compares: SHA256: and the unpadded base64 of the raw key's SHA-256."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def _key(seed: str) -> Ed25519PrivateKey:
    return load_signing_key(HubSettings(audit_signing_key=seed))


def _use_key(monkeypatch: pytest.MonkeyPatch, seed: str) -> Ed25519PrivateKey:
    monkeypatch.setenv("SYNCHUB_AUDIT_SIGNING_KEY", seed)
    get_settings.cache_clear()
    return _key(seed)


@pytest.fixture
def hub(store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch, wide_console: None) -> Engine:
    """Three customers and a checkpoint signed with the hub's key (A)."""
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    key = _use_key(monkeypatch, KEY_A)
    for i in range(3):
        with session_scope(store) as s:
            s.add(Customer(name=f"杭州智联{i}", phone=f"+861381234567{i}", owner="li"))
    create_checkpoint(store, key)
    return store


def _verify(*args: str) -> Any:
    return runner.invoke(app, ["audit", "verify", *args])


def test_a_rewritten_history_resigned_with_another_key_is_not_intact(hub: Engine) -> None:
    attacker = Ed25519PrivateKey.generate()

    def rewrite(conn: Connection) -> None:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"))
        rechain_from(conn, 1)
        conn.execute(text("DELETE FROM audit_checkpoints"))

    tamper(hub, rewrite)
    create_checkpoint(hub, attacker)
    result = _verify()
    assert result.exit_code == 1, result.output
    assert f"untrusted key ({fingerprint(public_key_hex(attacker))})" in result.output


def test_verify_prints_the_key_it_trusted_and_takes_trust(hub: Engine, tmp_path: Path) -> None:
    hub_key = public_key_hex(_key(KEY_A))
    default = _verify()
    assert default.exit_code == 0, default.output
    assert f"trusted key {fingerprint(hub_key)}" in default.output
    key_file = tmp_path / "public_key.hex"
    key_file.write_text(hub_key + "\n")
    for given in (hub_key, str(key_file)):
        result = _verify("--trust", given)
        assert result.exit_code == 0 and fingerprint(hub_key) in result.output, result.output
    other = public_key_hex(Ed25519PrivateKey.generate())
    refused = _verify("--trust", other)
    assert refused.exit_code == 1 and "signed by an untrusted key" in refused.output
    garbage = _verify("--trust", "not-a-key")
    assert garbage.exit_code == 1 and "Traceback" not in garbage.output and "--trust" in garbage.output


def test_keys_rotated_out_stay_trusted_when_listed(hub: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    key_b = _use_key(monkeypatch, KEY_B)  # rotation: B signs from now on
    with session_scope(hub) as s:
        s.add(Customer(name="宁波海曙", owner="zhang"))
    create_checkpoint(hub, key_b)
    unlisted = _verify()
    assert unlisted.exit_code == 1 and "checkpoint at seq 3: signed by an untrusted key" in unlisted.output
    monkeypatch.setenv("SYNCHUB_AUDIT_TRUSTED_KEYS", public_key_hex(_key(KEY_A)))
    get_settings.cache_clear()
    listed = _verify()
    assert listed.exit_code == 0, listed.output
    assert "2 checkpoints verified" in listed.output
    for seed in (KEY_A, KEY_B):
        assert fingerprint(public_key_hex(_key(seed))) in listed.output
    both = _verify("--trust", public_key_hex(_key(KEY_A)), "--trust", public_key_hex(_key(KEY_B)))
    assert both.exit_code == 0, both.output
    only_b = _verify("--trust", public_key_hex(key_b))  # --trust replaces the configured keys
    assert only_b.exit_code == 1


def _bundle_verify(bundle: Path, *trust: str) -> subprocess.CompletedProcess[str]:
    args = [a for k in trust for a in ("--trust", k)]
    return subprocess.run(
        [sys.executable, "-I", str(bundle / "verify.py"), str(bundle), *args], capture_output=True, text=True
    )


def test_the_bundle_verifier_takes_the_expected_key_and_prints_it(hub: Engine, tmp_path: Path) -> None:
    key = _key(KEY_A)
    out = tmp_path / "bundle"
    export_bundle(hub, key, out)
    trusted = _bundle_verify(out, public_key_hex(key))
    assert trusted.returncode == 0, trusted.stdout
    assert fingerprint(public_key_hex(key)) in trusted.stdout and "--trust" in trusted.stdout
    own = _bundle_verify(out)
    assert own.returncode == 0 and "the bundle's own key" in own.stdout
    forged_key = Ed25519PrivateKey.generate()
    forged = tmp_path / "forged"
    export_bundle(hub, forged_key, forged)  # a consistent bundle made with someone else's key
    refused = _bundle_verify(forged, public_key_hex(key))
    assert refused.returncode == 1
    forged_print = fingerprint(public_key_hex(forged_key))
    assert f"manifest: signed by an untrusted key ({forged_print})" in refused.stdout


def test_a_bundle_after_a_key_rotation_verifies(hub: Engine, tmp_path: Path) -> None:
    key_a, key_b = _key(KEY_A), _key(KEY_B)
    with session_scope(hub) as s:
        s.add(Customer(name="宁波海曙", owner="zhang"))
    create_checkpoint(hub, key_b)
    vouched = tmp_path / "vouched"
    export_bundle(hub, key_b, vouched, vouched=[public_key_hex(key_a)])
    assert _bundle_verify(vouched, public_key_hex(key_b)).returncode == 0
    bare = tmp_path / "bare"
    export_bundle(hub, key_b, bare, vouched=[])
    failed = _bundle_verify(bare, public_key_hex(key_b))
    assert failed.returncode == 1 and "checkpoint at seq 3: signed by an untrusted key" in failed.stdout
    both = _bundle_verify(bare, public_key_hex(key_a), public_key_hex(key_b))
    assert both.returncode == 0, both.stdout


def _edit_value(conn: Connection) -> None:
    conn.execute(text("UPDATE audit_personal_data SET value = '\"+8613900000000\"' WHERE entity_id = '1'"))


def _move_to_another_record(conn: Connection) -> None:
    conn.execute(text("UPDATE audit_personal_data SET entity_id = '999' WHERE entity_id = '1'"))


def _fake_erasure(conn: Connection) -> None:
    conn.execute(
        text(
            "UPDATE audit_personal_data SET value = NULL, salt = NULL, erased_at = recorded "
            "WHERE entity_id = '2'".replace("recorded", "created_at")
        )
    )


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        (_edit_value, "value or salt differs from the digest"),
        (_move_to_another_record, "MAC does not verify"),
        (_fake_erasure, "MAC does not verify"),
    ],
    ids=["value edited", "moved to another record", "erasure forged"],
)
def test_edits_to_stored_personal_values_are_detected(
    hub: Engine, attack: Callable[[Connection], None], expected: str
) -> None:
    assert verify_ledger(hub).ok
    tamper(hub, attack)
    result = verify_ledger(hub)
    assert not result.ok and expected in (result.problem or ""), result.problem
    cli = _verify()
    assert cli.exit_code == 1 and "personal value" in cli.output


def test_erasure_through_synchub_still_verifies(hub: Engine) -> None:
    erased = runner.invoke(app, ["audit", "erase", "--entity", "customer:2", "--reason", "PIPL #7"])
    assert erased.exit_code == 0, erased.output
    result = verify_ledger(hub)
    assert result.ok, result.problem
    assert result.personal_values >= 3
