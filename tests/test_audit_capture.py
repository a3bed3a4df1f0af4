"""Capture is automatic: every audited model yields entries on insert, update and delete."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import Engine

from audit.context import AuditContext, audit_context
from audit.encoding import entity_type_of
from audit.models import AuditHead, AuditLog, AuditPersonalData
from audit.personal import erase_personal_data
from audit.verify import verify_ledger
from core.errors import AuditBypassError
from core.models import Base, Customer, Lead, Source, is_audited
from store.engine import session_scope
from tests.factories import changed_value, editable_column, identity, make_instance

AUDITED = sorted((m.class_ for m in Base.registry.mappers if is_audited(m.class_)), key=lambda c: c.__name__)
# Operational tables deliberately left out of the ledger, each with its reason.
NOT_AUDITED = {
    "GeocodeCache": "a cache of Amap answers, rebuilt at will",
    "OAuthToken": "vendor secrets; must never be copied into the ledger",
    "AuditLog": "the ledger itself",
    "AuditHead": "the ledger's lock row",
    "AuditCheckpoint": "append-only by trigger, signed",
    "AuditPersonalData": "the ledger's erasable side table",
}


def _entries(engine: Engine, entity_type: str, entity_id: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(AuditLog)
                .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == entity_id)
                .order_by(AuditLog.seq)
            )
        )


def test_every_model_is_audited_or_listed_with_a_reason() -> None:
    names = {m.class_.__name__ for m in Base.registry.mappers}
    unaudited = {m.class_.__name__ for m in Base.registry.mappers if not is_audited(m.class_)}
    assert unaudited == set(NOT_AUDITED), "a new model must be Audited or listed in NOT_AUDITED"
    assert len(AUDITED) == len(names) - len(NOT_AUDITED) >= 16


@pytest.mark.parametrize("model", AUDITED, ids=lambda c: c.__name__)
def test_insert_update_delete_reach_the_ledger(store: Engine, model: type[Any]) -> None:
    column = editable_column(model)
    with audit_context(actor="user:tester", correlation_id="req-1", reason="walk"), session_scope(store) as s:
        obj = make_instance(s, model)
        ident = identity(obj)
    with audit_context(actor="flow:run-7", correlation_id="run-7"), session_scope(store) as s:
        obj = s.get(model, obj.id)
        old = getattr(obj, column)
        new = changed_value(old)
        setattr(obj, column, new)
    with audit_context(actor="user:admin", correlation_id="req-2"), session_scope(store) as s:
        s.delete(s.get(model, obj.id))

    entries = _entries(store, entity_type_of(model), ident)
    assert [e.action for e in entries] == ["insert", "update", "delete"]
    assert [e.actor for e in entries] == ["user:tester", "flow:run-7", "user:admin"]
    assert [e.correlation_id for e in entries] == ["req-1", "run-7", "req-2"]
    assert entries[0].reason == "walk"
    update_changes = json.loads(entries[1].changes)
    assert column in update_changes["after"]
    if column not in {c.key for c in model.__table__.columns if c.info.get("pii")}:
        assert update_changes["before"][column] == old
        assert update_changes["after"][column] == new
    assert "before" in json.loads(entries[2].changes)
    assert verify_ledger(store).ok


def test_personal_values_stay_out_of_the_chain_and_can_be_erased(store: Engine) -> None:
    with session_scope(store) as s:
        source = Source(name="web", kind="web_form")
        s.add(source)
        s.flush()
        lead = Lead(
            source_id=source.id,
            external_id="f-1",
            phone="+8613812345678",
            contact_name="王伟",
            company="杭州智联医疗器械有限公司",
        )
        s.add(lead)
    with store.connect() as conn:
        chain_text = " ".join(conn.execute(select(AuditLog.changes)).scalars())
        stored = conn.execute(select(AuditPersonalData.value)).scalars().all()
    assert "13812345678" not in chain_text and "王伟" not in chain_text
    assert "杭州智联医疗器械有限公司" in chain_text  # company names are business data, not personal
    assert '"+8613812345678"' in stored

    with audit_context(actor="user:dpo"), session_scope(store) as s:
        erased = erase_personal_data(s, s.get(Lead, lead.id), reason="PIPL request #12")
    assert erased >= 2
    with store.connect() as conn:
        leftover = (
            conn.execute(select(AuditPersonalData.value).where(AuditPersonalData.entity_type == "lead"))
            .scalars()
            .all()
        )
        last = conn.execute(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1)).one()
    assert all(v is None for v in leftover)
    assert last.action == "erase" and last.reason == "PIPL request #12"
    assert verify_ledger(store).ok


def test_session_level_context_overrides_the_ambient_one(store: Engine) -> None:
    with audit_context(actor="user:outer"), session_scope(store) as s:
        s.info["audit"] = AuditContext(actor="api:partner", correlation_id="req-9")
        s.add(Source(name="s1", kind="excel"))
    entry = _entries(store, "source", "1")[0]
    assert (entry.actor, entry.correlation_id) == ("api:partner", "req-9")


def test_default_actor_and_a_correlation_id_per_transaction(store: Engine) -> None:
    with session_scope(store) as s:
        s.add(Source(name="a", kind="excel"))
        s.flush()
        s.add(Source(name="b", kind="excel"))
    with session_scope(store) as s:
        s.add(Source(name="c", kind="excel"))
    rows = [_entries(store, "source", str(i))[0] for i in (1, 2, 3)]
    assert {r.actor for r in rows} == {"system"}
    assert rows[0].correlation_id == rows[1].correlation_id != rows[2].correlation_id


def test_rolled_back_changes_leave_no_entry_and_no_gap(store: Engine) -> None:
    with session_scope(store) as s:
        s.add(Source(name="kept", kind="excel"))
    with pytest.raises(RuntimeError), session_scope(store) as s:
        s.add(Source(name="lost", kind="excel"))
        s.flush()
        raise RuntimeError("boom")
    with session_scope(store) as s:
        s.add(Source(name="kept-2", kind="excel"))
    with store.connect() as conn:
        seqs = conn.execute(select(AuditLog.seq).order_by(AuditLog.seq)).scalars().all()
        head = conn.execute(select(AuditHead.last_seq)).scalar_one()
    assert seqs == [1, 2] and head == 2


@pytest.mark.parametrize(
    "bypass",
    [
        lambda s: s.execute(update(Customer).values(owner="mallory")),
        lambda s: s.execute(insert(Customer).values(name="ghost")),
        lambda s: s.connection().exec_driver_sql("UPDATE customers SET owner = 'mallory'"),
        lambda s: s.execute(text("DELETE FROM customers")),
    ],
    ids=["orm-bulk-update", "core-insert", "driver-sql-update", "text-delete"],
)
def test_writes_that_would_skip_the_ledger_are_refused(store: Engine, bypass: Any) -> None:
    with session_scope(store) as s:
        s.add(Customer(name="杭州智联医疗器械有限公司", owner="li"))
    with pytest.raises(AuditBypassError, match="bypass the audit ledger"), session_scope(store) as s:
        bypass(s)
    with session_scope(store) as s:
        customers = s.scalars(select(Customer)).all()
    assert [(c.name, c.owner) for c in customers] == [("杭州智联医疗器械有限公司", "li")]


def test_a_rolled_back_savepoint_leaves_no_gap(store: Engine) -> None:
    with session_scope(store) as s:
        s.add(Source(name="before", kind="excel"))
        s.flush()
        nested = s.begin_nested()
        s.add(Source(name="inside", kind="excel"))
        s.flush()
        nested.rollback()
        s.add(Source(name="after", kind="excel"))
    with store.connect() as conn:
        rows = conn.execute(select(AuditLog.seq, AuditLog.changes).order_by(AuditLog.seq)).all()
    assert [r.seq for r in rows] == [1, 2]
    assert '"inside"' not in " ".join(r.changes for r in rows)
    assert verify_ledger(store).ok


def test_bulk_insert_writes_an_entry_per_row_in_the_same_transaction(store: Engine) -> None:
    from audit.bulk import bulk_insert

    with audit_context(actor="import:expo.xlsx", correlation_id="file:abc"), session_scope(store) as s:
        source = Source(name="expo", kind="excel")
        s.add(source)
        s.flush()
        rows = [{"source_id": source.id, "external_id": f"r-{i}", "phone": f"+86138000000{i:02d}", "company": "杭州智联"}
                for i in range(5)]  # fmt: skip
        ids = bulk_insert(s, Lead, rows)
    assert len(ids) == 5 and len(set(ids)) == 5
    entries = [_entries(store, "lead", str(i))[0] for i in ids]
    assert {(e.action, e.actor, e.correlation_id) for e in entries} == {
        ("insert", "import:expo.xlsx", "file:abc")
    }
    after = json.loads(entries[0].changes)["after"]
    assert after["external_id"] == "r-0" and after["stage"] == "new" and after["products"] == []
    assert set(after["phone"]) == {"$pii"}  # personal values stay out of the chain here too
    with pytest.raises(RuntimeError), session_scope(store) as s:
        bulk_insert(s, Lead, [{"source_id": 1, "external_id": "gone", "company": "x"}])
        raise RuntimeError("rolled back")
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Lead)).scalar_one() == 5
    assert verify_ledger(store).ok
