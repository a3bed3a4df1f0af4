"""Receivables as an aging workbook: the receivables page's contracts (same filters, same data function,
``hub.web.data.receivables``), one row per installment with its outstanding amount and aging bucket,
then the outstanding by bucket per customer and per salesperson (``services.exports.aging``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from hub.web.clock import cst_today
from hub.web.data.exports.common import Export
from hub.web.data.receivables import ContractView, ReceivablesQuery, receivables
from hub.web.labels import label
from services.exports import BUCKETS, AgingTotals, Column, Sheet, bucket_of, outstanding_of
from services.finance.overdue import SETTLED

__all__ = ["DETAIL_COLUMNS", "UNASSIGNED", "contracts_of", "receivables_export"]

PAGE = 5000  # contracts a query: each query sorts and counts the whole list
UNASSIGNED = "未分配"
DETAIL_COLUMNS = (
    Column("合同编号", 20),
    Column("客户", 30),
    Column("销售", 12),
    Column("期次", 6, "int"),
    Column("到期日", 12, "date"),
    Column("应收金额", 14, "money"),
    Column("已开票", 14, "money"),
    Column("已回款", 14, "money"),
    Column("未收金额", 14, "money"),
    Column("逾期天数", 10, "int"),
    Column("账龄", 11),
    Column("状态", 10),
    Column("ERP 单号", 20),
)


def _totals_columns(first: str) -> tuple[Column, ...]:
    return (Column(first, 30), Column("未收合计", 16, "money"), *(Column(b, 14, "money") for b in BUCKETS))


def contracts_of(engine: Engine, query: ReceivablesQuery, today: date) -> Iterator[ContractView]:
    """Every contract the page's filters select (the page's order), fetched a page at a time."""
    offset = 0
    while True:
        page = receivables(engine, query.model_copy(update={"limit": PAGE, "offset": offset}), today)
        yield from page.contracts
        if len(page.contracts) < PAGE:
            return
        offset += PAGE


def receivables_export(engine: Engine, query: ReceivablesQuery, today: date | None = None) -> Export:
    """Sheets 应收明细, 按客户汇总, 按销售汇总; the totals fill while the detail rows stream."""
    day = today or cst_today()
    by_customer, by_owner = AgingTotals(), AgingTotals()

    def detail() -> Iterator[list[Any]]:
        for c in contracts_of(engine, query, day):
            owner = c.owner or UNASSIGNED
            for i in c.installments:
                owed = outstanding_of(i.amount, i.paid_amount, i.status)
                bucket = None
                if i.status not in SETTLED:
                    by_customer.add(c.customer_name, i.days_overdue, owed)
                    by_owner.add(owner, i.days_overdue, owed)
                    bucket = BUCKETS[bucket_of(i.days_overdue)]
                yield [
                    c.number, c.customer_name, owner, i.no, i.due_date, i.amount, i.invoiced_amount,
                    i.paid_amount, owed, i.days_overdue, bucket, label(i.status, "installment"), i.erp_number,
                ]  # fmt: skip

    return Export(
        filename=f"receivables-{day.isoformat()}.xlsx",
        sheets=[
            Sheet("应收明细", DETAIL_COLUMNS, detail()),
            Sheet("按客户汇总", _totals_columns("客户"), by_customer.rows()),
            Sheet("按销售汇总", _totals_columns("销售"), by_owner.rows()),
        ],
    )
