"""Header-row detection on the shapes real exports take."""

from __future__ import annotations

import pytest

from connectors.excel._header import find_header, unique_headers

TITLE = ["2026年11月 客户线索导出", "", ""]
EXPORTED = ["导出时间：2026-11-20 10:00", "", "导出人：张三"]
HEADER = ["公司名称", "联系人", "手机"]
DATA = ["杭州智联", "王总", "13812345678"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([HEADER, DATA], 0),
        ([TITLE, HEADER, DATA], 1),
        ([TITLE, EXPORTED, [], HEADER, DATA], 3),
        ([[], [], HEADER, DATA, DATA], 2),
        ([TITLE, ["Foo", "Bar", "Baz"], ["1", "2", "3"]], 1),  # no known words: labels over data
        ([["字段", "含义"], ["手机", "客户手机号"]], 0),  # known words in the data, not the header
        ([TITLE, ["Foo", "Bar"]], 0),  # nothing follows the labels: the first non-empty row
        ([[], ["", ""]], None),
    ],
)
def test_find_header(rows: list[list[str]], expected: int | None) -> None:
    assert find_header(rows) == expected


def test_known_headers_from_the_caller_win() -> None:
    rows = [["客户线索", "内部"], ["甲列", "乙列", "丙列"], ["a", "b", "c"]]
    assert find_header(rows, known=["甲列", "乙列"]) == 1


def test_unique_headers() -> None:
    assert unique_headers(["电话", "", "电话", "电话"]) == ["电话", "column 2", "电话 (2)", "电话 (3)"]
