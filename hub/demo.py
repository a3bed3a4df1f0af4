"""``synchub demo``: the journey so far, on a fresh SQLite database, with a readable summary.

Today it lands a few records through the store, changes and deletes some, verifies the ledger,
signs a checkpoint and exports an evidence bundle that verifies with its own script. Later issues
grow it into the whole leads-to-cash journey.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.checkpoint import create_checkpoint, generate_key_file, load_signing_key
from audit.context import audit_context
from audit.export import export_bundle
from audit.history import entity_history
from audit.models import AuditLog
from audit.verify import verify_ledger
from hub.migrate import upgrade
from hub.models import Contact, Contract, Customer, Lead, OutboxMessage, ReceivableInstallment, Source
from hub.settings import get_settings
from hub.store import make_engine, session_scope

DEFAULT_DEMO_DB = "sqlite:///./var/demo.db"


def _fresh_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(url)
    upgrade(engine)
    return engine


def _write_records(engine: Engine) -> dict[str, int]:
    with audit_context(actor="flow:demo-intake", correlation_id="demo-run-1"):
        with session_scope(engine) as s:
            douyin = Source(name="douyin-ortho", kind="ocean_engine", expected_interval_s=900)
            s.add(douyin)
            s.flush()
            leads = [
                Lead(
                    source_id=douyin.id,
                    external_id="clue-1001",
                    contact_name="王伟",
                    phone="+8613812345678",
                    company="杭州智联医疗器械有限公司",
                    address="杭州萧山",
                    budget_min=Decimal("500000"),
                ),
                Lead(
                    source_id=douyin.id,
                    external_id="clue-1002",
                    contact_name="李娜",
                    phone="+8613987654321",
                    company="智联医械(杭州)有限公司",
                    address="浙江省杭州市萧山区",
                ),
            ]
            s.add_all(leads)
            customer = Customer(name="杭州智联医疗器械有限公司", phone="+8613812345678", city="杭州市")
            s.add(customer)
            s.flush()
            s.add(Contact(customer_id=customer.id, name="王伟", title="采购部", phone="+8613812345678"))
        with (
            audit_context(actor="user:zhang.manager", reason="territory: Hangzhou -> ortho team"),
            session_scope(engine) as s,
        ):
            for lead in s.scalars(select(Lead)):
                lead.owner, lead.team, lead.stage = "li.sales", "ortho-east", "assigned"
                lead.assigned_at = datetime.now(UTC)
    with (
        audit_context(actor="api:crm-webhook", correlation_id="contract-HT-2026-001"),
        session_scope(engine) as s,
    ):
        contract = Contract(
            number="HT-2026-001",
            customer_id=1,
            amount=Decimal("600000.00"),
            signed_at=datetime.now(UTC),
            payment_terms={"installments": [50, 50]},
        )
        s.add(contract)
        s.flush()
        for no, due in ((1, date(2026, 12, 26)), (2, date(2027, 3, 26))):
            inst = ReceivableInstallment(
                contract_id=contract.id,
                installment_no=no,
                amount=Decimal("300000.00"),
                business_key=f"{contract.number}#{no}",
                due_date=due,
            )
            s.add(inst)
            s.flush()
            s.add(
                OutboxMessage(
                    topic="erp.receivable.push",
                    business_key=f"kingdee:{inst.business_key}",
                    aggregate_type="receivable_installment",
                    aggregate_id=inst.id,
                )
            )
    with audit_context(actor="user:admin", reason="duplicate test lead"), session_scope(engine) as s:
        s.delete(s.scalars(select(Lead).where(Lead.external_id == "clue-1002")).one())
    with session_scope(engine) as s:
        return {
            "leads": s.scalar(select(func.count()).select_from(Lead)) or 0,
            "customers": s.scalar(select(func.count()).select_from(Customer)) or 0,
            "contracts": s.scalar(select(func.count()).select_from(Contract)) or 0,
            "installments": s.scalar(select(func.count()).select_from(ReceivableInstallment)) or 0,
            "outbox": s.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
            "audit_entries": s.scalar(select(func.count()).select_from(AuditLog)) or 0,
        }


def run_demo(url: str, out_dir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    settings = get_settings()
    if settings.audit_signing_key is None and not settings.audit_signing_key_file.exists():
        generate_key_file(settings.audit_signing_key_file)
    key = load_signing_key(settings)
    engine = _fresh_engine(url)
    counts = _write_records(engine)
    checkpoint = create_checkpoint(engine, key)
    result = verify_ledger(engine)
    bundle = out_dir / "demo-audit-bundle"
    export_bundle(engine, key, bundle)
    check = subprocess.run([sys.executable, str(bundle / "verify.py")], capture_output=True, text=True)
    history = entity_history(engine, "lead", "1")
    return {
        **counts,
        "audit_ok": result.ok,
        "audit_problem": result.problem,
        "checkpoint_seq": checkpoint["seq"],
        "bundle": str(bundle),
        "bundle_ok": check.returncode == 0,
        "lead_1_history": len(history),
        "database": engine.url.render_as_string(),
        "seconds": round(time.perf_counter() - started, 2),
    }


def demo_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    database_url: Annotated[str, typer.Option(help="Database to (re)create for the demo.")] = DEFAULT_DEMO_DB,
) -> None:
    """Run the journey on a fresh database and the sandbox simulators, then print what happened."""
    summary = run_demo(database_url, get_settings().var_dir)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        raise typer.Exit(0 if summary["audit_ok"] and summary["bundle_ok"] else 1)
    console = Console()
    table = Table(title="SyncHub demo")
    table.add_column("stage")
    table.add_column("result", justify="right")
    for key, value in summary.items():
        table.add_row(key, str(value))
    console.print(table)
    console.print(
        f"Look next: [bold]synchub audit log --entity lead:1[/bold] "
        f"(with SYNCHUB_DATABASE_URL={summary['database']}), and the bundle in {summary['bundle']}."
    )
    raise typer.Exit(0 if summary["audit_ok"] and summary["bundle_ok"] else 1)
