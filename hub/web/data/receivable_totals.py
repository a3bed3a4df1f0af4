"""Totals of the receivables page: contract amount, invoiced, received, outstanding and overdue, per
currency, over every contract the filters match (not only the page shown), from the same rows the page
lists (``hub.web.data.receivables``), so a total is always the sum of the rows."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.engine import Engine

from hub.web.data.receivables import ContractView, ReceivablesPage, ReceivablesQuery, receivables
from services.finance.overdue import SETTLED

__all__ = ["MAX_TOTALLED", "ReceivableTotals", "page_totals", "totals"]

MAX_TOTALLED = 20_000  # contracts; past this the page totals only the rows it shows, and says so


class ReceivableTotals(BaseModel):
    currency: str
    contracts: int
    amount: Decimal  # contract amounts
    invoiced: Decimal
    received: Decimal  # paid on installments
    outstanding: Decimal  # still to be paid on installments not settled
    overdue: Decimal  # of which past due


def totals(contracts: Iterable[ContractView]) -> list[ReceivableTotals]:
    """One row per currency (CNY first), summed from ``contracts`` and their installments."""
    by: dict[str, ReceivableTotals] = {}
    zero = Decimal(0)
    for c in contracts:
        row = by.setdefault(c.currency, ReceivableTotals(currency=c.currency, contracts=0, amount=zero,
                            invoiced=zero, received=zero, outstanding=zero, overdue=zero))  # fmt: skip
        row.contracts += 1
        row.amount += c.amount
        for i in c.installments:
            row.invoiced += i.invoiced_amount
            row.received += i.paid_amount
            if i.status not in SETTLED:
                row.outstanding += i.amount - i.paid_amount
                if i.days_overdue > 0:
                    row.overdue += i.amount - i.paid_amount
    return sorted(by.values(), key=lambda t: (t.currency != "CNY", t.currency))


def page_totals(
    engine: Engine, query: ReceivablesQuery, page: ReceivablesPage
) -> tuple[list[ReceivableTotals], bool]:
    """(totals, whole): over every contract the filters match when they are at most
    :data:`MAX_TOTALLED` (``whole`` True), else over the page's rows."""
    if len(page.contracts) >= page.total and query.offset == 0:
        return totals(page.contracts), True
    if page.total > MAX_TOTALLED:
        return totals(page.contracts), False
    every = receivables(engine, query.model_copy(update={"limit": page.total, "offset": 0}), page.today)
    return totals(every.contracts), True
