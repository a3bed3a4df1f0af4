"""The audit workbook: the Audit page's search, masked like the console, and a reveal that is recorded
before any personal value leaves the hub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.context import audit_context
from audit.models import AuditLog
from core.models import Customer
from hub.web.data.audit import AuditQuery, search
from hub.web.data.exports import audit as audit_module
from hub.web.data.exports import audit_export
from hub.web.data.exports.audit import AUDIT_COLUMNS
from services.exports import REVEAL
from store.engine import session_scope
from tests.exports.conftest import sheet_rows

PHONE = "13812345678"


@pytest.fixture
def ledger(store: Engine) -> Engine:
    with audit_context(actor="user:li", reason="新客户（展会）"), session_scope(store) as s:
        s.add(Customer(name="杭州智联医疗器械有限公司", phone=f"+86{PHONE}", owner="li"))
        s.add(Customer(name="=cmd|' /C calc'!A0", owner="wu"))
    with audit_context(actor="user:zhang", reason="区域调整"), session_scope(store) as s:
        customer = s.get_one(Customer, 1)
        customer.owner = "zhang"
    return store


def _export(engine: Engine, tmp_path: Path, query: AuditQuery, **kw: object) -> list[list[object]]:
    path = tmp_path / "a.xlsx"
    audit_export(engine, query, **kw).write(path)  # type: ignore[arg-type]
    ws, rows = sheet_rows(path, "审计记录")
    assert ws.freeze_panes == "A2" and rows[0] == [c.header for c in AUDIT_COLUMNS]
    return rows[1:]


def test_entity_history_who_when_what_why_masked(ledger: Engine, tmp_path: Path) -> None:
    rows = _export(ledger, tmp_path, AuditQuery(entity_type="customer", entity_id="1"))
    page = search(ledger, AuditQuery(entity_type="customer", entity_id="1"))
    assert [r[0] for r in rows] == [e.seq for e in page.entries]  # the page's entries, newest first
    update, insert = rows
    assert update[2:6] == ["user:zhang", "修改", "customer", "1"] and update[7] == "区域调整"
    assert "owner: 'li' -> 'zhang'" in update[6]
    assert insert[3] == "新增" and "+86138****5678" in insert[6]
    assert hasattr(update[1], "year")  # a real date-time cell
    assert not any(PHONE in str(cell) for row in rows for cell in row)
    with session_scope(ledger) as s:
        assert not s.scalars(select(AuditLog).where(AuditLog.action == REVEAL)).all()


def test_reveal_shows_values_and_is_recorded_first(ledger: Engine, tmp_path: Path) -> None:
    with audit_context(actor="user:li"):
        rows = _export(ledger, tmp_path, AuditQuery(entity_type="customer", entity_id="1"),
                       reveal=True, reason="工单 42")  # fmt: skip
    assert any(f"+86{PHONE}" in str(r[6]) for r in rows)
    assert len(rows) == 2  # the reveal event came after the search: not in this file
    with session_scope(ledger) as s:
        events = s.scalars(select(AuditLog).where(AuditLog.action == REVEAL)).all()
    assert [(e.actor, e.entity_type, e.entity_id, e.reason) for e in events] == [
        ("user:li", "customer", "1", "工单 42")
    ]
    assert json.loads(events[0].changes)["event"]["entries"] == 2  # the two entries shown


def test_search_filters_apply_and_formulas_stay_text(ledger: Engine, tmp_path: Path) -> None:
    rows = _export(ledger, tmp_path, AuditQuery(actor="user:li", action="insert"))
    assert {r[2] for r in rows} == {"user:li"} and {r[3] for r in rows} == {"新增"}
    assert len(rows) == 2
    assert any("=cmd|' /C calc'!A0" in str(r[6]) for r in rows)
    assert _export(ledger, tmp_path, AuditQuery(actor="user:nobody")) == []


def test_every_entry_once_across_pages(
    ledger: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_module, "PAGE", 1)
    rows = _export(ledger, tmp_path, AuditQuery())
    assert [r[0] for r in rows] == [e.seq for e in search(ledger, AuditQuery(limit=500)).entries]
    assert len(rows) == 3
