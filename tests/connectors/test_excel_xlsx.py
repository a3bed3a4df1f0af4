"""xlsx lead lists: title rows, gaps, cell types, sheets, and speed."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest

from connectors.excel import ExcelRow, count_rows, read_rows
from core.errors import InputError, MappingError
from mapping import load_field_map, map_excel_row

HEADER = ["公司名称", "联系人", "手机", "预算(万元)", "提交时间", "备注"]


def _export(path: Path, rows: Sequence[Sequence[object]], *, title_rows: bool = True) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "线索"
    if title_rows:
        sheet.append(["2026年11月 线索导出"])
        sheet.append(["导出时间：2026-11-20", None, "导出人：管理员"])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("说明")
    other.append(["字段", "含义"])
    other.append(["手机", "客户手机号"])
    workbook.save(path)
    return path


def test_title_rows_gaps_and_cell_types(tmp_path: Path) -> None:
    path = _export(
        tmp_path / "leads.xlsx",
        [
            ["杭州智联医疗器械有限公司", "王总", 13812345678, 50, datetime(2026, 11, 20, 10, 21, 33), None],
            [],
            [None, None, None, None, None, None],
            ["苏州智联", "李经理", 13912345678.0, 12.5, date(2026, 11, 21), "  回访  "],
        ],
    )
    headers, rows = read_rows(path)
    assert headers == HEADER
    assert list(rows) == [
        ExcelRow(5, dict(zip(HEADER, ["杭州智联医疗器械有限公司", "王总", "13812345678", "50", "2026-11-20T10:21:33", ""], strict=True))),
        ExcelRow(8, dict(zip(HEADER, ["苏州智联", "李经理", "13912345678", "12.5", "2026-11-21", "回访"], strict=True))),
    ]  # fmt: skip


def test_header_on_the_first_line(tmp_path: Path) -> None:
    path = _export(tmp_path / "plain.xlsx", [["智联", "王总", "13812345678", "", "", ""]], title_rows=False)
    headers, rows = read_rows(path)
    assert headers == HEADER
    assert [r.line_no for r in rows] == [2]


def test_sheet_by_name_and_unknown_sheet(tmp_path: Path) -> None:
    path = _export(tmp_path / "leads.xlsx", [])
    headers, rows = read_rows(path, sheet="说明")
    assert headers == ["字段", "含义"]
    assert list(rows) == [ExcelRow(2, {"字段": "手机", "含义": "客户手机号"})]
    with pytest.raises(InputError, match="no sheet named '客户'; sheets: 线索, 说明"):
        read_rows(path, sheet="客户")


def test_formulas_give_their_cached_values_and_errors_are_empty(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["公司", "手机", "备注"])
    sheet.append(["智联", "13812345678", "#N/A"])
    sheet.append(["智联", "=1+1", None])  # openpyxl writes no cached value: reads as empty
    workbook.save(path)
    _, rows = read_rows(path)
    assert [r.values for r in rows] == [
        {"公司": "智联", "手机": "13812345678", "备注": ""},
        {"公司": "智联", "手机": "", "备注": ""},
    ]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("姓名,电话\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"not an \.xlsx file"):
        read_rows(path)


def test_count_rows_without_opening_the_workbook(tmp_path: Path) -> None:
    path = _export(tmp_path / "leads.xlsx", [["智联", "王总", "13812345678"]] * 10)
    assert count_rows(path) == 13  # 14 rows less the header; title rows are counted
    assert count_rows(path, sheet="说明") == 1


def test_count_rows_of_a_sheet_written_without_dimension(tmp_path: Path) -> None:
    path = tmp_path / "stream.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("线索")
    for n in range(25):
        sheet.append(["智联", str(n)])
    workbook.save(path)
    assert count_rows(path) == 24


def test_read_and_map_speed(tmp_path: Path) -> None:
    """A floor far below the measured figure (README), to catch an order-of-magnitude slip."""
    n = 3000
    path = _export(
        tmp_path / "speed.xlsx",
        [[f"杭州智联{i}医疗器械有限公司", "王总", 13800000000 + i, 50, None, "回访"] for i in range(n)],
    )
    field_map = load_field_map("excel")
    started = time.perf_counter()
    _, rows = read_rows(path, known_headers=field_map.header_names())
    mapped = 0
    for row in rows:
        try:
            map_excel_row(field_map, row.values, f"speed:{row.line_no}")
            mapped += 1
        except MappingError:
            pass
    rate = n / (time.perf_counter() - started)
    assert mapped == n
    assert rate > 500, f"{rate:.0f} rows/s"


def test_a_table_away_from_a1_keeps_its_rows_and_columns(tmp_path: Path) -> None:
    """Exports pasted into a report start at, say, C5: line numbers and columns stay as the sheet shows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["C5"], sheet["D5"], sheet["E5"] = "公司名称", "手机", "备注"
    sheet["C6"], sheet["D6"] = "智联医械", 13812345678
    sheet["D8"], sheet["F8"] = "13912345678", "表外的备注"
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    headers, rows = read_rows(path)
    assert headers[2:5] == ["公司名称", "手机", "备注"]  # A and B are blank: "column 1", "column 2"
    got = list(rows)
    assert [r.line_no for r in got] == [6, 8]
    assert got[0].values["公司名称"] == "智联医械" and got[0].values["手机"] == "13812345678"
    assert got[1].values["手机"] == "13912345678" and "表外的备注" in got[1].values.values()
