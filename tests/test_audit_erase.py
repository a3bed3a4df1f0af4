"""PIPL erasure leaves a person's values nowhere (issue 18, finding 4), and personal data stays out of
the ledger, the bundle and the logs while it is kept."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine, make_url
from typer.testing import CliRunner

from audit.checkpoint import load_signing_key
from audit.export import export_bundle
from audit.models import AuditLog
from connectors.base import SourceRecord
from core.models import Contact, Customer, Lead, NotificationLog, QuarantinedRecord, RawRecord
from core.settings import get_settings
from hub.cli.main import app
from services.intake.landing import ensure_source, land_records
from store.engine import make_engine, session_scope

runner = CliRunner()
SIGNING_KEY = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="
PHONE, OTHER_PHONE = "13812345678", "13987654321"
EMAIL, RESIDENT_ID = "wang.li@example.cn", "110101199003071234"
# every spelling of the person's values that must be gone after the erasure
SPELLINGS = (PHONE, "138 1234 5678", "138-1234-5678", OTHER_PHONE, EMAIL, RESIDENT_ID, "王丽华")


def _clue() -> SourceRecord:
    payload = {
        "clue_id": "c-99",
        "name": "王丽华",
        "telephone": "138 1234 5678",
        "create_time_detail": "2026-11-20 10:21:33",
        "province_name": "浙江省",
        "city_name": "杭州市",
        "remark_dict": {
            "公司名称": "+8657188889392",  # a "company" that is a landline
            "备注": f"下午打 138-1234-5678 或 {OTHER_PHONE}，邮箱 {EMAIL}，身份证 {RESIDENT_ID}",
        },
        "advertiser_id": 1001,
    }
    return SourceRecord(external_id="c-99", account="1001", payload=payload, cursor_value=None)


@pytest.fixture
def person(store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A lead whose free text holds phones, an e-mail and an ID number, its customer and contact, a
    quarantine row and a notification about it."""
    from dedupe.service import match_pending_leads

    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    monkeypatch.setenv("SYNCHUB_AUDIT_SIGNING_KEY", SIGNING_KEY)
    get_settings.cache_clear()
    with session_scope(store) as s:
        land_records(s, ensure_source(s, "douyin", "ocean_engine"), [_clue()])
    with session_scope(store) as s:
        match_pending_leads(s)
    with session_scope(store) as s:
        lead = s.scalars(select(Lead)).one()
        raw = s.scalars(select(RawRecord)).one()
        assert lead.id == 1 and lead.customer_id is not None and lead.remark and PHONE[:3] in lead.remark
        s.add(QuarantinedRecord(source_id=raw.source_id, raw_record_id=raw.id, stage="geocode",
                                payload=raw.payload, error=f"no area for {PHONE}"))  # fmt: skip
        s.add(NotificationLog(business_key="lead_new:1:dingtalk:east", channel="dingtalk", target="east",
                              event="lead_new", lead_id=1, title="新线索 +8657188889392",
                              body=f"备注：{lead.remark}"))  # fmt: skip
    return store


def _ledger_text(engine: Engine) -> str:
    with engine.connect() as conn:
        rows = conn.execute(select(AuditLog.changes, AuditLog.reason)).all()
    return "\n".join(f"{r.changes}\n{r.reason}" for r in rows)


def test_free_text_personal_values_never_enter_the_ledger_or_the_bundle(
    person: Engine, tmp_path: Path
) -> None:
    ledger = _ledger_text(person)
    for value in (*SPELLINGS[:-1], "8657188889392"):
        assert value not in ledger, value
    out = tmp_path / "bundle"
    export_bundle(person, load_signing_key(get_settings()), out)
    bundle = (out / "entries.jsonl").read_text(encoding="utf-8")
    for value in (*SPELLINGS[:-1], "8657188889392"):
        assert value not in bundle, value
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_a_customer_without_a_company_is_named_after_its_lead(person: Engine, wide_console: None) -> None:
    with session_scope(person) as s:
        customer = s.scalars(select(Customer)).one()
        assert customer.name == "未具名客户(线索 1)"  # never the phone, e-mail or name of the person
    result = runner.invoke(app, ["audit", "log", "--entity", f"customer:{customer.id}"])
    assert result.exit_code == 0, result.output
    assert "8657188889392" not in result.output
    lead_log = runner.invoke(app, ["audit", "log", "--entity", "lead:1"])
    assert PHONE not in lead_log.output and OTHER_PHONE not in lead_log.output
    assert "139****4321" in lead_log.output  # the remark's text is kept, its phones masked


def _sqlite_bytes(url: str) -> bytes:
    path = Path(str(make_url(url).database))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.close()
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _postgres_text(engine: Engine) -> str:
    """Every text, varchar and JSON value of every table, as text."""
    parts = []
    with engine.connect() as conn:
        columns = conn.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                "'public' AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
            )
        ).all()
        for table, column in columns:
            values = conn.execute(text(f'SELECT "{column}"::text FROM "{table}"')).scalars()
            parts += [v for v in values if v]
    return "\n".join(parts)


def test_erasure_leaves_the_person_nowhere(
    person: Engine, store_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    result = runner.invoke(app, ["audit", "erase", "--entity", "lead:1", "--reason", "PIPL 个人信息删除 #12"])
    assert result.exit_code == 0, result.output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    with session_scope(person) as s:
        lead = s.get_one(Lead, 1)
        assert (lead.phone, lead.email, lead.contact_name) == (None, None, None)
        assert lead.remark is not None and "下午打" in lead.remark and "[erased]" in lead.remark
        assert s.scalars(select(RawRecord)).one().payload == {}
        assert s.scalars(select(QuarantinedRecord)).one().payload == {}
        customer = s.scalars(select(Customer)).one()
        assert customer.phone is None and customer.name == "未具名客户(线索 1)"
        contact = s.scalars(select(Contact)).one()
        assert (contact.name, contact.phone, contact.email) == (None, None, None)
        note = s.scalars(select(NotificationLog)).one()
        assert "[erased]" in note.title and "下午打" in note.body
    out = tmp_path / "after"
    export_bundle(person, load_signing_key(get_settings()), out)
    bundle = "".join(p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix != ".py")
    logs = caplog.text + result.output + verified.output
    if store_url.startswith("sqlite"):
        person.dispose()
        stored = _sqlite_bytes(store_url).decode("utf-8", errors="replace")
    else:
        stored = _postgres_text(person)
    for value in SPELLINGS:
        assert value not in stored, value
        assert value not in bundle, value
        assert value not in logs, value
    assert "8657188889392" not in stored


def test_erase_with_a_bad_id_is_one_clear_line(person: Engine) -> None:
    for entity in ("lead:abc", "lead:1.5", "lead:-1", "lead:99999999999999999999999"):
        result = runner.invoke(app, ["audit", "erase", "--entity", entity, "--reason", "x"])
        assert result.exit_code == 1, (entity, result.output)
        assert "whole-number id" in result.output and "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    missing = runner.invoke(app, ["audit", "erase", "--entity", "lead:42", "--reason", "x"])
    assert missing.exit_code == 1 and "no lead with id 42" in missing.output


def test_database_echo_logs_no_personal_data(
    store_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SYNCHUB_DATABASE_ECHO", "1")
    get_settings.cache_clear()
    caplog.set_level(logging.DEBUG)
    engine = make_engine(store_url)
    try:
        with session_scope(engine) as s:
            s.add(Customer(name="杭州智联", phone=f"+86{PHONE}", email=EMAIL))
        with session_scope(engine) as s:
            s.scalars(select(Customer).where(Customer.phone == f"+86{PHONE}")).all()
    finally:
        engine.dispose()
    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "INSERT INTO customers" in logged  # echo is on ...
    assert PHONE not in logged and EMAIL not in logged  # ... and shows no personal value
