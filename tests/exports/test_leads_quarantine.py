"""The leads and quarantine workbooks on the console tests' seeded hub."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from core.errors import InputError
from hub.web.data.exports import LeadsQuery, QuarantineQuery, leads_export, quarantine_export
from hub.web.data.exports.leads import LEAD_COLUMNS
from hub.web.data.leads import sla_breaches
from tests.exports.conftest import sheet_rows
from tests.web.seed import PHONE, Seeded, seed, signing_settings


@pytest.fixture
def seeded(store: Engine) -> Seeded:
    return seed(store, signing_settings())


def _leads(engine: Engine, tmp_path: Path, query: LeadsQuery) -> list[list[object]]:
    path = tmp_path / "l.xlsx"
    leads_export(engine, query).write(path)
    ws, rows = sheet_rows(path, "线索")
    assert ws.freeze_panes == "A2" and rows[0] == [c.header for c in LEAD_COLUMNS]
    return rows[1:]


def test_leads_with_stage_owner_and_the_sla_box(store: Engine, seeded: Seeded, tmp_path: Path) -> None:
    rows = _leads(store, tmp_path, LeadsQuery())
    assert len(rows) == seeded.leads
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)
    box = sla_breaches(store, 500, 90)
    flagged = {r[0]: r[12] for r in rows if r[12] not in ("按时联系", "未超时")}
    assert set(flagged) == {b.lead_id for b in box.items}
    waiting = {b.lead_id for b in box.items if b.waiting}
    assert all("超时未联系" in flagged[i] for i in waiting) and waiting
    assert any("已升级" in text for text in flagged.values())
    by_stage = {r[3] for r in rows}
    assert {"新线索", "已分配", "赢单", "输单"} <= by_stage
    assert {r[6] for r in rows} == {"zhangsan", None}
    assert all(hasattr(r[7], "year") and hasattr(r[9], "year") for r in rows)
    assert not any(PHONE in str(cell) for row in rows for cell in row)
    won = [r for r in rows if r[3] == "赢单"]
    assert won and all(r[4] in ("签约", "回款") for r in won)  # the funnel step reached


def test_leads_filters(store: Engine, seeded: Seeded, tmp_path: Path) -> None:
    rows = _leads(store, tmp_path, LeadsQuery(source="官网表单"))
    assert len(rows) == 4 and {r[1] for r in rows} == {"官网表单"}
    rows = _leads(store, tmp_path, LeadsQuery(stage="won"))
    assert len(rows) == 2 and {r[3] for r in rows} == {"赢单"}
    with pytest.raises(InputError, match="没有名为"):
        leads_export(store, LeadsQuery(source="nowhere"))


def test_quarantine_with_reasons_masked(store: Engine, seeded: Seeded, tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    quarantine_export(store, QuarantineQuery()).write(path)
    _, rows = sheet_rows(path, "隔离区")
    assert [r[0] for r in rows[1:]] == [seeded.quarantined]
    row = rows[1]
    assert row[1] == "ocean-main" and row[5] == "待处理" and row[3] and hasattr(row[6], "year")
    assert not any(PHONE in str(cell) for cell in row)
    quarantine_export(store, QuarantineQuery(status="replayed")).write(path)
    assert len(sheet_rows(path, "隔离区")[1]) == 1  # the header only
    with pytest.raises(InputError):
        quarantine_export(store, QuarantineQuery(status="bogus"))
