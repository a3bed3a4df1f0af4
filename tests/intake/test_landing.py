"""Landing is idempotent on (source, external id), audits changes, and quarantines what cannot map."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from connectors.base import SourceRecord
from core.models import Lead, QuarantinedRecord, RawRecord
from services.intake.landing import ensure_source, land_records
from services.intake.quarantine import replay
from store.engine import session_scope


def clue(clue_id: str, **over: Any) -> SourceRecord:
    payload = {
        "clue_id": clue_id,
        "name": "王总",
        "telephone": "138 1234 5678",
        "create_time_detail": "2026-11-20 10:21:33",
        "province_name": "浙江省",
        "city_name": "杭州市",
        "address": "萧山区",
        "remark_dict": {"公司名称": "杭州智联医疗器械有限公司", "意向产品": "骨科耗材", "预算": "50万"},
        "advertiser_id": 1001,
        "ad_id": 7,
        "clue_source": "抖音",
    }
    payload.update(over)
    return SourceRecord(external_id=clue_id, account="1001", payload=payload, cursor_value=None)


def _land(store: Engine, records: list[SourceRecord]) -> Any:
    with session_scope(store) as s:
        source = ensure_source(s, "douyin", "ocean_engine")
        return land_records(s, source, records)


def _count(store: Engine, model: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_clean_lead_lands_mapped(store: Engine) -> None:
    result = _land(store, [clue("c-1")])
    assert (result.landed, result.quarantined, len(result.new_lead_ids)) == (1, 0, 1)
    with session_scope(store) as s:
        lead = s.scalars(select(Lead)).one()
        raw = s.scalars(select(RawRecord)).one()
        assert (lead.phone, lead.contact_name, lead.company) == (
            "+8613812345678",
            "王",
            "杭州智联医疗器械有限公司",
        )
        assert lead.budget_min == 500000 and "ortho_consumables" in lead.products
        assert raw.status == "mapped" and raw.lead_id == lead.id
        assert raw.payload["telephone"] == "138 1234 5678"  # kept exactly as received


def test_redelivery_changes_nothing_and_writes_no_ledger_entry(store: Engine) -> None:
    _land(store, [clue("c-1"), clue("c-2")])
    entries = _count(store, AuditLog)
    result = _land(store, [clue("c-1"), clue("c-2")])
    assert (result.landed, result.updated, result.unchanged) == (0, 0, 2)
    assert _count(store, Lead) == 2 and _count(store, RawRecord) == 2
    assert _count(store, AuditLog) == entries


def test_a_changed_payload_updates_the_lead_with_an_audited_diff(store: Engine) -> None:
    _land(store, [clue("c-1")])
    result = _land(store, [clue("c-1", address="杭州市萧山区市心中路")])
    assert (result.updated, len(result.changed_lead_ids)) == (1, 1)
    with store.connect() as conn:
        last = conn.execute(
            select(AuditLog).where(AuditLog.entity_type == "lead").order_by(AuditLog.seq.desc()).limit(1)
        ).one()
    changes = json.loads(last.changes)
    assert last.action == "update"
    assert changes["after"]["address"] == "杭州市萧山区市心中路" and changes["before"]["address"] == "萧山区"


def test_an_unmappable_record_is_quarantined_with_its_reason_and_replayed_after_a_fix(store: Engine) -> None:
    bad = clue("c-9", telephone="", remark_dict={"备注": "只留了备注"})
    result = _land(store, [clue("c-1"), bad])
    assert (result.landed, result.quarantined) == (2, 1)
    with session_scope(store) as s:
        item = s.scalars(select(QuarantinedRecord)).one()
        assert "no phone, email, company or USCC" in item.error
        assert item.payload == bad.payload and item.raw_record is not None
        assert item.raw_record.status == "quarantined"
    # the sender fixes the record and delivers it again: same id, new payload
    result = _land(store, [clue("c-9", telephone="13900001111", remark_dict={})])
    assert result.updated == 1 and len(result.new_lead_ids) == 1
    with session_scope(store) as s:
        item = s.scalars(select(QuarantinedRecord)).one()
        assert item.status == "superseded" and item.raw_record is not None
        assert item.raw_record.status == "mapped"
        assert replay(s).replayed == []


def test_replay_after_a_mapping_fix(store: Engine, tmp_path: Any) -> None:
    bad = clue("c-7", telephone="", remark_dict={"单位": "苏州某医院设备科"})
    _land(store, [bad])
    override = tmp_path / "map.toml"
    override.write_text('[fields]\ncompany = ["remark_dict.单位"]\n', encoding="utf-8")
    with session_scope(store) as s:
        source = ensure_source(s, "douyin", "ocean_engine")
        source.config = {"mapping_file": str(override)}
    with session_scope(store) as s:
        report = replay(s)
        item = s.scalars(select(QuarantinedRecord)).one()
        lead = s.scalars(select(Lead)).one()
    assert report.replayed == [item.id] and item.status == "replayed" and item.attempts == 2
    assert lead.company == "苏州某医院设备科"


def test_duplicates_inside_one_batch_land_once(store: Engine) -> None:
    result = _land(store, [clue("c-1"), clue("c-1", address="新地址")])
    assert result.received == 1 and _count(store, Lead) == 1
