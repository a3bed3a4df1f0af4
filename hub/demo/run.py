"""``synchub demo``: the journey so far on a fresh SQLite database and the sandbox simulators.

Lead intake: a pull from each ad platform's simulator, a burst of signed web-form submissions over
real HTTP, and a trade-show spreadsheet; then the ledger is verified, checkpointed and exported as an
offline bundle that verifies with its own script. Later issues add geocoding, dedupe, routing and
the ERP push to the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import SecretStr
from rich.console import Console
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.checkpoint import create_checkpoint, generate_key_file, load_signing_key
from audit.export import export_bundle
from audit.models import AuditLog
from audit.verify import verify_ledger
from connectors.sandbox import SandboxState, running_sandbox
from connectors.webform import WebFormSettings
from core.models import FinanceAlert, Lead, Payment, QuarantinedRecord, RawRecord
from core.serving import serve_in_thread
from core.settings import get_settings
from hub.api.app import create_app
from hub.demo.data import WEBFORM_SECRET, send_webform_burst, write_trade_show_file
from hub.demo.finance import run_erp_demo
from hub.demo.report import print_summary
from hub.demo.steps import dedupe_leads, pull_all, route_and_escalate, sign_contract
from services.intake.imports import import_leads
from services.intake.tokens import generate_token_key_file
from store.engine import make_engine, session_scope
from store.migrate import upgrade

DEFAULT_DEMO_DB = "sqlite:///./var/demo.db"


def _fresh_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(url)
    upgrade(engine)
    return engine


def _count(engine: Engine, model: Any, *where: Any) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _duplicates(engine: Engine) -> dict[str, object]:
    """The share of customers whose leads went to two or more people (the articles' 22%)."""
    from core.models import utcnow
    from services.routing.ownership import duplicate_followup

    with session_scope(engine) as s:
        return duplicate_followup(s, utcnow()).as_dict()


def run_demo(url: str, out_dir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    settings = get_settings()
    if settings.audit_signing_key is None and not settings.audit_signing_key_file.exists():
        generate_key_file(settings.audit_signing_key_file)
    if settings.token_key is None and not settings.token_key_file.exists():
        generate_token_key_file(settings.token_key_file)
    key = load_signing_key(settings)
    engine = _fresh_engine(url)
    webforms = WebFormSettings(secrets={"contact-us": SecretStr(WEBFORM_SECRET)})
    with running_sandbox(SandboxState(seed=42)) as sandbox:
        pulled = pull_all(engine, sandbox.base_url)
        with serve_in_thread(create_app(engine, webforms)) as api_url:
            answers = send_webform_burst(api_url, "contact-us")
        sheet = write_trade_show_file(out_dir / "demo-expo-2026.xlsx")
        imported = import_leads(engine, sheet, "expo-2026-shanghai")
        customers = dedupe_leads(engine)
        routing = route_and_escalate(engine, sandbox)
        sign_contract(engine)
        erp = run_erp_demo(engine, sandbox.base_url, sandbox.state)
    checkpoint = create_checkpoint(engine, key)
    result = verify_ledger(engine)
    bundle = out_dir / "demo-audit-bundle"
    export_bundle(engine, key, bundle)
    check = subprocess.run([sys.executable, str(bundle / "verify.py")], capture_output=True, text=True)
    return {
        "leads_landed": _count(engine, RawRecord),
        "leads": _count(engine, Lead),
        "pulled": pulled,
        "webform_answers": answers,
        "excel_rows": imported.rows,
        "excel_rejected": len(imported.rejected),
        "quarantined": _count(engine, QuarantinedRecord, QuarantinedRecord.status == "open"),
        **customers,
        **routing,
        "bills_pushed": sum(erp["erp_bills"].values()),
        "erp_bills": erp["erp_bills"],
        "erp_duplicates": erp["erp_duplicates"],
        "erp_outbox": erp["outbox"],
        "erp_installments": erp["installments"],
        "payments": _count(engine, Payment),
        "overdue_alerts": _count(engine, FinanceAlert, FinanceAlert.kind == "overdue"),
        "erp_alerts": erp["alerts_raised"],
        "alert_messages": erp["alert_messages"],
        "duplicate_followup": _duplicates(engine),
        "audit_entries": _count(engine, AuditLog),
        "audit_ok": result.ok,
        "audit_problem": result.problem,
        "checkpoint_seq": checkpoint["seq"],
        "bundle": str(bundle),
        "bundle_ok": check.returncode == 0,
        "database": engine.url.render_as_string(),
        "seconds": round(time.perf_counter() - started, 2),
    }


def demo_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    database_url: Annotated[str, typer.Option(help="Database to (re)create for the demo.")] = DEFAULT_DEMO_DB,
) -> None:
    """Run the journey on a fresh database and the sandbox simulators, then print what happened."""
    summary = run_demo(database_url, get_settings().var_dir)
    ok = summary["audit_ok"] and summary["bundle_ok"]
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        raise typer.Exit(0 if ok else 1)
    console = Console()
    print_summary(summary, console)
    console.print(
        f"Look next: SYNCHUB_DATABASE_URL={summary['database']} synchub status | quarantine list | "
        f"audit log --entity lead:1; the auditor's bundle is in {summary['bundle']}."
    )
    raise typer.Exit(0 if ok else 1)
