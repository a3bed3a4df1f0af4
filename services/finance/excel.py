"""``synchub contract import FILE``: signed contracts from a spreadsheet (.xlsx or .csv).

One row per contract; headers in Chinese or English (see ``COLUMNS``). Payment terms are written
``30@0, 70@90`` (percent @ days after signing) or ``30/70`` with the days in a 账期 column. Each good
row is one "contract signed" event (its own transaction, with its installments and outbox messages);
a bad row is reported with its spreadsheet line and every reason, and importing the file again
changes nothing (the contract number is the idempotency key).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from connectors.excel import ExcelRow, read_rows
from core.errors import InputError
from services.finance.intake import ContractConflict, ContractInvalid, sign_contract
from services.finance.settings import FinanceSettings
from services.finance.terms import parse_terms_text

__all__ = ["COLUMNS", "ContractImportReport", "import_contracts", "row_to_contract"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("合同编号", "合同号", "contract number", "number"),
    "customer": ("客户名称", "客户", "customer", "customer name"),
    "uscc": ("统一社会信用代码", "信用代码", "uscc"),
    "amount": ("合同金额", "金额", "amount"),
    "currency": ("币种", "币别", "currency"),
    "tax_rate": ("税率", "tax rate", "tax_rate"),
    "signed_at": ("签约日期", "签订日期", "signed", "signed_at"),
    "terms": ("付款条款", "付款比例", "payment terms", "terms"),
    "days": ("账期", "付款天数", "days"),
    "owner": ("负责人", "销售", "owner", "salesperson"),
    "erp": ("ERP", "erp"),
}


@dataclass
class ContractImportReport:
    file: str
    rows: int = 0
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _value(row: ExcelRow, name: str) -> str:
    lowered = {k.strip().lower(): v for k, v in row.values.items()}
    return next((lowered[h.lower()].strip() for h in COLUMNS[name] if lowered.get(h.lower(), "").strip()), "")


def row_to_contract(row: ExcelRow) -> dict[str, Any]:
    """A spreadsheet row as the contract payload of the intake API."""
    terms = _value(row, "terms")
    data: dict[str, Any] = {
        "number": _value(row, "number"),
        "customer": {
            k: v for k, v in (("name", _value(row, "customer")), ("uscc", _value(row, "uscc"))) if v
        },
        "amount": _value(row, "amount"),
        "currency": _value(row, "currency") or "CNY",
        "tax_rate": _value(row, "tax_rate") or "13%",
        "signed_at": _value(row, "signed_at").replace("/", "-").replace(".", "-")[:10],
        "payment_terms": parse_terms_text(terms, _value(row, "days") or None) if terms else None,
        "owner": _value(row, "owner") or None,
    }
    if _value(row, "erp"):
        data["erp"] = _value(row, "erp").lower()
    return data


def import_contracts(
    engine: Engine,
    path: Path,
    sheet: str | None = None,
    settings: FinanceSettings | None = None,
    progress: Callable[[int], None] | None = None,
) -> ContractImportReport:
    """Sign in every row; ``progress(rows)`` hears of each row read."""
    report = ContractImportReport(file=str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    known = [h for names in COLUMNS.values() for h in names]
    _headers, rows = read_rows(path, sheet, known_headers=known)
    for row in rows:
        report.rows += 1
        if progress is not None:
            progress(report.rows)
        if row.problem is not None:  # a line the reader could not read (not UTF-8, say): its own reason
            report.rejected.append((row.line_no, row.problem))
            continue
        try:
            result = sign_contract(
                engine,
                row_to_contract(row),
                actor=f"import:{path.name}",
                source=f"excel:{digest}:{row.line_no}",
                settings=settings,
            )
        except ContractInvalid as exc:
            report.rejected.append((row.line_no, "; ".join(exc.problems)))
            continue
        except (ContractConflict, InputError) as exc:
            report.rejected.append((row.line_no, str(exc)))
            continue
        (report.created if result.status == "created" else report.unchanged).append(result.number)
    return report
