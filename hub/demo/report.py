"""The demo's summary as tables a person reads: grouped by stage of the journey, one line saying what
each count is (and why two counts differ), dicts as indented rows. ``--json`` prints the same dict."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["GROUPS", "explain", "print_summary"]

GROUPS: list[tuple[str, list[str]]] = [
    ("Intake", ["leads_landed", "leads", "quarantined", "pulled", "webform_answers", "excel_rows",
                "excel_rejected"]),
    ("Customers and duplicates", ["customers", "auto_merges", "leads_linked_to_existing_customers",
                                  "customer_merges", "review_pairs", "duplicate_followup"]),
    ("Routing and first contact", ["assigned", "unassigned", "amap_calls", "geocoded_offline",
                                   "notifications", "notification_digests", "escalations"]),
    ("Contracts and ERP", ["bills_pushed", "erp_bills", "erp_duplicates", "erp_outbox", "erp_installments",
                           "payments", "overdue_alerts", "erp_alerts", "alert_messages"]),
    ("Audit", ["audit_entries", "audit_ok", "audit_problem", "checkpoint_seq", "bundle", "bundle_ok",
               "database", "seconds"]),
]  # fmt: skip

_FIXED = {
    "pulled": "records landed from each ad platform's simulator",
    "webform_answers": "HTTP answers to the web-form burst, by status (401: bad signature, refused)",
    "excel_rows": "rows in the trade-show spreadsheet",
    "excel_rejected": "spreadsheet rows the import refused, each named with its reason in its report",
    "customers": "active customers after matching and merging",
    "review_pairs": "unsure customer pairs waiting for a person in the review queue",
    "duplicate_followup": "customers whose leads went to two or more salespeople (should be ~0)",
    "assigned": "leads routed to a team and an owner",
    "unassigned": "leads no rule could place",
    "amap_calls": "addresses sent to Amap (only the ambiguous ones)",
    "geocoded_offline": "addresses placed from the built-in division table, no API call",
    "notifications": "robot and SMS messages sent (new leads and escalations)",
    "notification_digests": "messages that folded several leads into one (rate limits)",
    "escalations": "leads left uncontacted past their first-contact deadline, escalated to the supervisor",
    "bills_pushed": "receivable bills created in the ERPs (sum of erp_bills)",
    "erp_bills": "receivable bills per ERP",
    "erp_duplicates": "bills created twice in an ERP despite lost replies and retries (must be 0)",
    "erp_outbox": "each outbox message and where it ended",
    "erp_installments": "each installment's status after the ERP pull",
    "payments": "receipts pulled back from the ERPs",
    "overdue_alerts": "overdue-receivable alerts raised",
    "erp_alerts": "alerts raised by the ERP demo (overdue, part payments)",
    "alert_messages": "alert messages sent to robots and SMS",
    "audit_entries": "ledger entries: every change to business data",
    "audit_ok": "the hash chain verifies",
    "audit_problem": "what failed verification, if anything",
    "checkpoint_seq": "the signed checkpoint covers the ledger up to this entry",
    "bundle": "the auditor's offline bundle",
    "bundle_ok": "the bundle verifies with its own script",
    "database": "the demo's database: point SYNCHUB_DATABASE_URL here",
    "seconds": "wall time of the whole run",
}


def explain(key: str, s: dict[str, Any]) -> str:
    """One line saying what ``s[key]`` counts; where two counts differ, why (with the numbers)."""
    if key == "leads_landed":
        return (f"raw records received from every channel = {s.get('leads')} leads + "
                f"{s.get('quarantined')} quarantined (a repeated record lands once)")  # fmt: skip
    if key == "leads":
        return "leads created from landed records that mapped cleanly"
    if key == "quarantined":
        return "landed records that could not become leads, kept open with their reason"
    if key == "auto_merges":
        return (f"automatic merge decisions = {s.get('leads_linked_to_existing_customers')} leads linked "
                f"to a known customer + {s.get('customer_merges')} customer-to-customer merges")  # fmt: skip
    if key == "leads_linked_to_existing_customers":
        return "new leads matched to a customer already known (same company through another channel)"
    if key == "customer_merges":
        return "customers merged into another (sure pairs); 0 when every lead matched on arrival"
    return _FIXED.get(key, "")


def _rows(table: Table, key: str, value: Any, why: str, depth: int = 0) -> None:
    pad = "  " * depth
    if isinstance(value, dict):
        table.add_row(f"{pad}{key}", "", why)
        for sub, item in value.items():
            _rows(table, str(sub), item, "", depth + 1)
    elif isinstance(value, list):
        table.add_row(f"{pad}{key}", ", ".join(map(str, value)) or "—", why)
    else:
        table.add_row(f"{pad}{key}", "—" if value is None else str(value), why)


def print_summary(summary: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    placed: set[str] = set()
    for title, keys in GROUPS:
        table = Table(title=title, title_justify="left")
        table.add_column("count")
        table.add_column("value", justify="right")
        table.add_column("what it is", overflow="fold")
        for key in keys:
            if key in summary:
                _rows(table, key, summary[key], explain(key, summary))
                placed.add(key)
        console.print(table)
    rest = [k for k in summary if k not in placed]
    if rest:
        table = Table(title="Other", title_justify="left")
        for column in ("count", "value", "what it is"):
            table.add_column(column)
        for key in rest:
            _rows(table, key, summary[key], explain(key, summary))
        console.print(table)
