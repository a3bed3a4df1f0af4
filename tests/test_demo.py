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
        "review_pairs",
        "bills_pushed",
        "payments",
        "overdue_alerts",
    ):
        assert summary[stage] > 0, stage
    assert summary["erp_duplicates"] == 0
    # one customer, one owner: at most 1% of customers have leads with two or more salespeople (issue 19)
    assert summary["duplicate_followup"]["customers"] > 20 and summary["duplicate_followup"]["rate"] <= 0.01
    assert summary["amap_calls"] * 10 >= 1 and summary["amap_calls"] < summary["leads"] * 0.3
