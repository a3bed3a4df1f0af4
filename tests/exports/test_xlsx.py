"""The streaming writer, read back with openpyxl cell by cell."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.exports import BUCKETS, FORMULA_START, AgingTotals, Column, Sheet, bucket_of, write_workbook

COLUMNS = (Column("名称", 30), Column("金额", 14, "money"), Column("到期日", 12, "date"),
           Column("时间", 18, "datetime"), Column("次数", 8, "int"))  # fmt: skip


def test_formula_like_text_is_stored_as_text_unchanged(tmp_path: Path) -> None:
    risky = [
        "=1+1",
        '=HYPERLINK("http://x","y")',
        "+8613800001111",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\r=1",
        '=A1<B1&"x"',
    ]
    assert {t[0] for t in risky} == set(FORMULA_START)
    path = tmp_path / "risky.xlsx"
    write_workbook(path, [Sheet("s", COLUMNS[:1], ([text] for text in risky))])
    ws = load_workbook(path)["s"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == risky
    assert [c.data_type for c in cells] == ["s"] * len(risky)


def test_header_frozen_widths_formats_and_beijing_times(tmp_path: Path) -> None:
    path = tmp_path / "formats.xlsx"
    row = ["杭州智联", Decimal("1234.5"), date(2026, 3, 1), datetime(2026, 3, 1, 16, 30), 3]
    aware = [
        "x",
        Decimal(0),
        datetime(2026, 3, 1, 23, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 23, 0, tzinfo=UTC),
        0,
    ]
    write_workbook(path, [Sheet("明细", COLUMNS, [row, aware])])
    ws = load_workbook(path)["明细"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in ws[1])
    assert ws.column_dimensions["A"].width == 30 and ws.column_dimensions["D"].width == 18
    text, money, due, when, count = ws[2]
    assert text.value == "杭州智联" and text.data_type == "s"
    assert money.value == 1234.5 and money.number_format == "#,##0.00"
    assert due.value == datetime(2026, 3, 1) and due.is_date and due.number_format == "yyyy-mm-dd"
    assert when.value == datetime(2026, 3, 2, 0, 30) and when.number_format == "yyyy-mm-dd hh:mm"  # UTC+8
    assert count.value == 3
    assert ws["C3"].value == datetime(2026, 3, 2)  # a time in a date column: its Beijing date
    assert ws["D3"].value == datetime(2026, 3, 2, 7, 0)
    assert ws.auto_filter.ref == "A1:E3"


def test_sheets_stream_in_order_and_later_sheets_see_earlier_rows(tmp_path: Path) -> None:
    seen: list[int] = []
    totals = AgingTotals()

    def detail() -> object:
        for i in range(2500):
            totals.add("甲" if i % 2 else "乙", i % 120, Decimal(1))
            yield [f"r{i}", Decimal(1), None, None, i]

    path = tmp_path / "two.xlsx"
    sheets = [Sheet("明细", COLUMNS, detail()),  # type: ignore[arg-type]
              Sheet("汇总", (Column("键"), Column("合计", kind="money"), *(Column(b, kind="money") for b in BUCKETS)),
                    totals.rows())]  # fmt: skip
    assert write_workbook(path, sheets, progress=seen.append) == 2500 + 3
    assert seen == [1000, 2000, 2503]
    wb = load_workbook(path)
    assert wb.sheetnames == ["明细", "汇总"]
    summary = [list(r) for r in wb["汇总"].iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in summary] == ["乙", "甲", "合计"]
    assert summary[-1][1] == 2500 and sum(summary[-1][2:]) == 2500


def test_control_characters_xml_cannot_hold_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "ctl.xlsx"
    write_workbook(path, [Sheet("s", COLUMNS[:1], [["a\x00b\x1bc\td"]])])
    assert load_workbook(path)["s"]["A2"].value == "abc\td"


@pytest.mark.parametrize(
    ("days", "bucket"), [(0, "未到期"), (1, "1-30 天"), (30, "1-30 天"), (31, "31-60 天"), (60, "31-60 天"),
                         (61, "61-90 天"), (90, "61-90 天"), (91, "90 天以上"), (4000, "90 天以上")],
)  # fmt: skip
def test_aging_bucket_edges(days: int, bucket: str) -> None:
    assert BUCKETS[bucket_of(days)] == bucket


def test_sheet_names_filters_and_a_binary_target(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    sheets = [Sheet("a/b:c", COLUMNS[:1], [["x"]]), Sheet("A/B:C", COLUMNS[:2], []), Sheet("空", (), [])]
    assert write_workbook(buffer, sheets) == 1
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames == ["a_b_c", "A_B_C_2", "空"]
    assert wb["a_b_c"].auto_filter.ref == "A1:A2" and wb["A_B_C_2"].auto_filter.ref == "A1:B1"
    assert [c.value for c in wb["A_B_C_2"][1]] == ["名称", "金额"]


def test_a_row_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        write_workbook(tmp_path / "bad.xlsx", [Sheet("s", COLUMNS[:1], [["a", "b"]])])
