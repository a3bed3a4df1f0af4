"""Receivables for the export tests: contracts of several customers and salespeople whose open
installments fall in every aging bucket, plus settled ones, and a customer whose name is a formula."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.engine import Engine

from audit.context import audit_context
from core.models import Contract, Customer, ReceivableInstallment
from mapping import company_core
from store.engine import session_scope
from tests.web.conftest import client_for, site, users_file, users_template  # noqa: F401  (console fixtures)

TODAY = date(2026, 12, 7)
INJECTION = '=HYPERLINK("http://evil.example","点我")'
# (customer, owner, [(days before TODAY the installment is due, amount, paid, status)])
BOOK: list[tuple[str, str | None, list[tuple[int, str, str, str]]]] = [
    ("杭州智联医疗器械有限公司", "张三", [(-10, "1000", "0", "scheduled"), (0, "2000", "500", "invoiced"),
                                 (1, "300", "0", "overdue"), (45, "400", "0", "overdue")]),
    ("苏州远航科技有限公司", "李四", [(30, "5000", "1000", "partially_paid"), (31, "600", "0", "overdue"),
                               (90, "700", "0", "overdue"), (91, "800", "0", "overdue"), (200, "900", "900", "paid")]),
    ("宁波海工机械有限公司", None, [(61, "1200.50", "0", "overdue"), (400, "100", "0", "written_off")]),
    (INJECTION, "+王五", [(5, "50", "0", "overdue")]),
]  # fmt: skip


@dataclass(frozen=True)
class Book:
    engine: Engine
    contracts: int


def add_book(engine: Engine) -> Book:
    signed = datetime(2026, 1, 5, 2, 30, tzinfo=UTC)
    with audit_context(actor="test:book"), session_scope(engine) as s:
        for n, (name, owner, items) in enumerate(BOOK, 1):
            customer = Customer(name=name, name_norm=company_core(name).core, phone="+8613900001111")
            s.add(customer)
            s.flush()
            total = sum((Decimal(a) for _, a, _, _ in items), Decimal(0))
            contract = Contract(
                number=f"HT-T-{n:03d}", customer_id=customer.id, amount=total, signed_at=signed + timedelta(days=n),
                owner=owner,
            )  # fmt: skip
            s.add(contract)
            s.flush()
            for no, (ago, amount, paid, status) in enumerate(items, 1):
                s.add(
                    ReceivableInstallment(
                        contract_id=contract.id, installment_no=no, business_key=f"{contract.number}-{no}",
                        amount=Decimal(amount), due_date=TODAY - timedelta(days=ago), status=status,
                        invoiced_amount=Decimal(paid), paid_amount=Decimal(paid),
                    )
                )  # fmt: skip
    return Book(engine, len(BOOK))


@pytest.fixture
def book(store: Engine) -> Book:
    return add_book(store)


def sheet_rows(path: Path, title: str) -> tuple[Worksheet, list[list[Any]]]:
    """The sheet (for formats) and its values, header first."""
    wb = load_workbook(path)
    ws = wb[title]
    return ws, [list(row) for row in ws.iter_rows(values_only=True)]
