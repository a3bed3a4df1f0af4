"""The first demo: fresh database, records through the store, ledger verified, bundle verifies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_json_on_a_fresh_database(tmp_path: Path) -> None:
    env_url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "hub", "demo", "--json", "--database-url", env_url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["audit_ok"] is True and summary["bundle_ok"] is True
    assert summary["checkpoint_seq"] == summary["audit_entries"] > summary["leads_landed"]
    assert all(count > 0 for count in summary["pulled"].values())
    assert summary["webform_answers"]["201"] > 0 and summary["webform_answers"]["401"] > 0
    assert summary["excel_rows"] > summary["excel_rejected"] > 0
    assert summary["leads_landed"] == summary["leads"] + summary["quarantined"]
    for stage in (
        "auto_merges",
        "assigned",
        "amap_calls",
        "notifications",
        "escalations",
        "customers",
        "bills_pushed",
        "payments",
        "overdue_alerts",
    ):
        assert summary[stage] > 0, stage
    assert summary["erp_duplicates"] == 0
    # one customer, one owner: at most 1% of customers have leads with two or more salespeople (issue 19)
    assert summary["duplicate_followup"]["customers"] > 20 and summary["duplicate_followup"]["rate"] <= 0.01
    assert summary["amap_calls"] * 10 >= 1 and summary["amap_calls"] < summary["leads"] * 0.3
    # issue 20: every count has a line saying what it is, and the ledger's escalation times are true
    from hub.demo.report import GROUPS, explain

    grouped = {key for _, keys in GROUPS for key in keys}
    assert set(summary) <= grouped, set(summary) - grouped
    assert all(explain(key, summary) for key in summary)
    import sqlite3

    with sqlite3.connect(tmp_path / "demo.db") as db:
        rows = db.execute(
            "select recorded_at, changes from audit_log where entity_type = 'lead' "
            'and changes like \'%"escalated_at":"2%\''
        ).fetchall()
    assert len(rows) == summary["escalations"]
    for recorded_at, changes in rows:
        value = json.loads(changes)["after"]["escalated_at"]
        assert value[:19].replace("T", " ") <= recorded_at[:19], (value, recorded_at)


def test_demo_tables_explain_each_count() -> None:
    from rich.console import Console

    from hub.demo.report import print_summary

    console = Console(record=True, width=200)
    summary = {"leads_landed": 619, "leads": 613, "quarantined": 6, "pulled": {"baidu": 90},
               "auto_merges": 582, "leads_linked_to_existing_customers": 582, "customer_merges": 0}  # fmt: skip
    print_summary(summary, console)
    text = console.export_text()
    assert "{" not in text  # no raw dicts
    assert "613 leads + 6 quarantined" in text and "582 leads linked" in text
    assert "  baidu" in text
