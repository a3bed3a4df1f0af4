"""The receivables workbook against the receivables page's own data function, cell by cell."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from hub.web.data.exports import receivables as export_module
from hub.web.data.exports import receivables_export
from hub.web.data.exports.receivables import DETAIL_COLUMNS, UNASSIGNED
from hub.web.data.receivables import ReceivablesQuery, receivables
from services.exports import BUCKETS
from tests.exports.conftest import INJECTION, TODAY, Book, sheet_rows


def _money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _write(book: Book, tmp_path: Path, query: ReceivablesQuery) -> Path:
    path = tmp_path / "r.xlsx"
    receivables_export(book.engine, query, TODAY).write(path)
    return path


def test_detail_rows_and_aging_sums_equal_the_page(book: Book, tmp_path: Path) -> None:
    page = receivables(book.engine, ReceivablesQuery(limit=500), TODAY)
    ws, rows = sheet_rows(_write(book, tmp_path, ReceivablesQuery()), "应收明细")
    assert rows[0] == [c.header for c in DETAIL_COLUMNS] and ws.freeze_panes == "A2"
    detail = rows[1:]
    assert len(detail) == sum(len(c.installments) for c in page.contracts)
    by_contract: dict[str, Decimal] = defaultdict(Decimal)
    by_customer: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(BUCKETS))
    by_owner: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(BUCKETS))
    expected = {(c.number, i.no): (c, i) for c in page.contracts for i in c.installments}
    for number, customer, owner, no, due, amount, _inv, paid, owed, days, bucket, _st, _erp in detail:
        contract, inst = expected[(number, no)]
        assert (customer, due.date(), _money(amount), _money(paid), days) == (
            contract.customer_name, inst.due_date, inst.amount, inst.paid_amount, inst.days_overdue)  # fmt: skip
        by_contract[number] += _money(owed)
        if bucket is not None:
            by_customer[customer][BUCKETS.index(bucket)] += _money(owed)
            by_owner[owner][BUCKETS.index(bucket)] += _money(owed)
    assert by_contract == {c.number: c.outstanding for c in page.contracts}  # the page's outstanding
    # every bucket is used by the book, and the days decide them
    assert all(sum(col) for col in zip(*by_customer.values(), strict=True))
    for sheet, first, expected_totals in (
        ("按客户汇总", "客户", by_customer),
        ("按销售汇总", "销售", by_owner),
    ):
        _, totals = sheet_rows(tmp_path / "r.xlsx", sheet)
        assert totals[0] == [first, "未收合计", *BUCKETS]
        got = {row[0]: [_money(v) for v in row[2:]] for row in totals[1:-1]}
        assert got == dict(expected_totals)
        for row in totals[1:]:
            assert _money(row[1]) == sum((_money(v) for v in row[2:]), Decimal(0))
        assert totals[-1][0] == "合计"
        assert _money(totals[-1][1]) == sum((c.outstanding for c in page.contracts), Decimal(0))
    assert UNASSIGNED in by_owner  # a contract without a salesperson


def test_buckets_follow_the_one_days_overdue_definition(book: Book, tmp_path: Path) -> None:
    _, rows = sheet_rows(_write(book, tmp_path, ReceivablesQuery()), "应收明细")
    seen = {(r[9], r[10]) for r in rows[1:] if r[10] is not None}
    assert {(0, "未到期"), (1, "1-30 天"), (30, "1-30 天"), (31, "31-60 天"), (61, "61-90 天"),
            (90, "61-90 天"), (91, "90 天以上")} <= seen  # fmt: skip
    settled = [r for r in rows[1:] if r[11] in ("已回款", "已核销")]
    assert settled and all(r[10] is None and r[8] == 0 for r in settled)


def test_the_page_filters_apply(book: Book, tmp_path: Path) -> None:
    everything = {c.number for c in receivables(book.engine, ReceivablesQuery(limit=500), TODAY).contracts}
    for query in (ReceivablesQuery(q="苏州远航科技有限公司"), ReceivablesQuery(q="HT-T-004"),
                  ReceivablesQuery(overdue_only=True), ReceivablesQuery(unpushed_only=True, q="HT-T-002")):  # fmt: skip
        page = receivables(book.engine, query.model_copy(update={"limit": 500}), TODAY)
        assert page.contracts, query
        _, rows = sheet_rows(_write(book, tmp_path, query), "应收明细")
        assert {r[0] for r in rows[1:]} == {c.number for c in page.contracts}, query
    _, rows = sheet_rows(_write(book, tmp_path, ReceivablesQuery(q="HT-T-004")), "应收明细")
    assert {r[0] for r in rows[1:]} == {"HT-T-004"} != everything


def test_a_formula_in_a_customer_name_stays_text(book: Book, tmp_path: Path) -> None:
    ws, rows = sheet_rows(_write(book, tmp_path, ReceivablesQuery(q="HT-T-004")), "应收明细")
    assert rows[1][1] == INJECTION and rows[1][2] == "+王五"
    assert ws["B2"].data_type == "s" and ws["C2"].data_type == "s"
    assert ws["F2"].number_format == "#,##0.00" and ws["E2"].is_date


def test_every_contract_once_across_pages(
    book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "PAGE", 3)  # 4 contracts: two pages
    page = receivables(book.engine, ReceivablesQuery(limit=500), TODAY)
    _, rows = sheet_rows(_write(book, tmp_path, ReceivablesQuery()), "应收明细")
    assert sorted((r[0], r[3]) for r in rows[1:]) == sorted(
        (c.number, i.no) for c in page.contracts for i in c.installments
    )
