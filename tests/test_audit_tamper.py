"""The ledger is append-only in the database, and every golden tamper case is detected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from audit.checkpoint import create_checkpoint, load_signing_key
from audit.verify import load_checkpoints, verify_ledger
from core.models import Source
from core.settings import HubSettings, get_settings
from store.engine import session_scope
from tests.ledger_tamper import fix_head, rechain_from, tamper

SIGNING_KEY = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="  # test-only Ed25519 seed (base64)


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The hub's signing key (so verification trusts it by default)."""
    monkeypatch.setenv("SYNCHUB_AUDIT_SIGNING_KEY", SIGNING_KEY)
    get_settings.cache_clear()
    return load_signing_key(HubSettings(audit_signing_key=SIGNING_KEY))


@pytest.fixture
def ledger(store: Engine, key: Any) -> Engine:
    """Ten entries, a checkpoint at 10, then two more entries."""
    for i in range(10):
        with session_scope(store) as s:
            s.add(Source(name=f"source-{i}", kind="excel"))
    create_checkpoint(store, key)
    for i in range(10, 12):
        with session_scope(store) as s:
            s.add(Source(name=f"source-{i}", kind="excel"))
    assert verify_ledger(store).ok
    return store


def _raw(engine: Engine, sql: str) -> None:
    """Run SQL on a raw DBAPI connection, outside SQLAlchemy's events."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(sql)
        raw.commit()
    finally:
        raw.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        "UPDATE audit_checkpoints SET seq = 1",
        "DELETE FROM audit_checkpoints",
    ],
)
def test_raw_update_and_delete_are_rejected_by_the_database(ledger: Engine, sql: str) -> None:
    with pytest.raises(Exception, match="append-only"):
        _raw(ledger, sql)
    assert verify_ledger(ledger).ok


def test_truncate_is_rejected_on_postgresql(pg_store: Engine) -> None:
    with session_scope(pg_store) as s:
        s.add(Source(name="one", kind="excel"))
    for table in ("audit_log", "audit_checkpoints"):
        with pytest.raises(Exception, match="append-only"):
            _raw(pg_store, f"TRUNCATE {table}")
    assert verify_ledger(pg_store).count == 1


def _edit_field(conn: Connection) -> None:
    conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4"))


def _delete_row(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_log WHERE seq = 4"))


def _insert_forged_row(conn: Connection) -> None:
    conn.execute(
        text(
            "INSERT INTO audit_log (seq, recorded_at, actor, action, entity_type, entity_id, changes, "
            "prev_hash, hash) SELECT 13, recorded_at, 'mallory', 'insert', 'source', '99', '{}', hash, "
            "'f00d' FROM audit_log WHERE seq = 12"
        )
    )
    fix_head(conn)


def _insert_in_middle_and_rechain(conn: Connection) -> None:
    rows = conn.execute(text("SELECT seq FROM audit_log WHERE seq >= 5 ORDER BY seq DESC")).scalars().all()
    for seq in rows:  # make room at seq 5
        conn.execute(text("UPDATE audit_log SET seq = :n WHERE seq = :s"), {"n": seq + 1, "s": seq})
    conn.execute(
        text(
            "INSERT INTO audit_log (seq, recorded_at, actor, action, entity_type, entity_id, changes, "
            "prev_hash, hash) SELECT 5, recorded_at, 'mallory', 'insert', 'source', '99', '{}', hash, "
            "'tmp-forged' FROM audit_log WHERE seq = 4"
        )
    )
    rechain_from(conn, 5)


def _truncate_tail(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_log WHERE seq >= 9"))


def _truncate_tail_and_fix_head(conn: Connection) -> None:
    _truncate_tail(conn)
    fix_head(conn)


def _rehash_whole_chain(conn: Connection) -> None:
    conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    rechain_from(conn, 1)


def _alter_checkpoint_signature(conn: Connection) -> None:
    sig = conn.execute(text("SELECT signature FROM audit_checkpoints")).scalar_one()
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    conn.execute(text("UPDATE audit_checkpoints SET signature = :s"), {"s": flipped})


GOLDEN: list[tuple[str, Callable[[Connection], None], str]] = [
    ("field altered", _edit_field, "seq 4: hash does not match"),
    ("row deleted", _delete_row, "seq 4: missing"),
    ("forged row appended", _insert_forged_row, "seq 13: hash does not match"),
    (
        "row inserted mid-chain, re-chained",
        _insert_in_middle_and_rechain,
        "checkpoint at seq 10: ledger hash differs",
    ),
    ("tail truncated", _truncate_tail, "chain ends at seq 8 but the head row says 12"),
    ("tail truncated, head fixed", _truncate_tail_and_fix_head, "checkpoint at seq 10: entry missing"),
    ("whole chain re-hashed", _rehash_whole_chain, "checkpoint at seq 10: ledger hash differs"),
    ("checkpoint signature altered", _alter_checkpoint_signature, "checkpoint at seq 10: signature does not"),
]


@pytest.mark.parametrize(("case", "attack", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_tamper_cases_are_detected(
    ledger: Engine, case: str, attack: Callable[[Connection], None], expected: str
) -> None:
    tamper(ledger, attack)
    result = verify_ledger(ledger)
    assert not result.ok, case
    assert result.problem is not None and expected in result.problem


def test_an_external_copy_of_the_checkpoints_catches_a_rewritten_checkpoint_table(
    ledger: Engine, key: Any
) -> None:
    auditors_copy = load_checkpoints(ledger)

    def rewrite_everything(conn: Connection) -> None:
        _rehash_whole_chain(conn)
        conn.execute(text("DELETE FROM audit_checkpoints"))

    tamper(ledger, rewrite_everything)
    assert verify_ledger(ledger).ok  # the database alone now looks consistent...
    result = verify_ledger(ledger, external_checkpoints=auditors_copy)
    assert not result.ok and "checkpoint at seq 10" in (result.problem or "")


def test_a_checkpoint_signed_by_another_key_is_untrusted(ledger: Engine, key: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from audit.checkpoint import public_key_hex

    create_checkpoint(ledger, Ed25519PrivateKey.generate())
    for result in (verify_ledger(ledger), verify_ledger(ledger, trusted_keys={public_key_hex(key)})):
        assert not result.ok and "untrusted key (SHA256:" in (result.problem or "")


def test_a_checkpoint_of_the_empty_ledger_still_verifies_once_entries_follow(store: Engine, key: Any) -> None:
    """The first hourly checkpoint of a new install signs the empty head (seq 0, the genesis hash)."""
    assert create_checkpoint(store, key)["seq"] == 0
    with session_scope(store) as s:
        s.add(Source(name="douyin", kind="ocean_engine"))
    create_checkpoint(store, key)
    result = verify_ledger(store)
    assert result.ok, result.problem
    assert result.checkpoints == 2
