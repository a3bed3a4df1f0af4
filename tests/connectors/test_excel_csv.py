"""CSV lead lists: encodings, title rows above the header, broken rows, line numbers."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from connectors.excel import ExcelRow, count_rows, read_rows
from core.errors import InputError
from mapping import load_field_map, map_excel_row

FIXTURES = Path(__file__).parent.parent / "fixtures" / "excel"
ROWS = "姓名,电话,公司\n张三,13812345678,杭州智联\n李四,0571-88881234,苏州智联\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _read(path: Path) -> tuple[list[str], list[ExcelRow]]:
    headers, rows = read_rows(path)
    return headers, list(rows)


@pytest.mark.parametrize(
    "encoded",
    [
        ROWS.encode("utf-8"),
        codecs.BOM_UTF8 + ROWS.encode("utf-8"),
        ROWS.encode("gbk"),
        ROWS.encode("gb18030"),
        ROWS.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16"],
)
def test_encodings(tmp_path: Path, encoded: bytes) -> None:
    headers, rows = _read(_write(tmp_path, "leads.csv", encoded))
    assert headers == ["姓名", "电话", "公司"]  # no BOM glued to the first header
    assert rows == [
        ExcelRow(2, {"姓名": "张三", "电话": "13812345678", "公司": "杭州智联"}),
        ExcelRow(3, {"姓名": "李四", "电话": "0571-88881234", "公司": "苏州智联"}),
    ]


def test_gbk_export_with_title_rows_blank_rows_and_a_total_line() -> None:
    path = FIXTURES / "leads_export_gbk.csv"
    headers, rows = _read(path)
    assert headers == ["序号", "公司名称", "联系人", "手机", "意向产品", "预算"]
    assert [r.line_no for r in rows] == [5, 6, 8, 9]
    assert rows[1].values["公司名称"] == "智联醫械（杭州）有限公司"
    assert rows[3].values == {
        "序号": "合计：3",
        "公司名称": "",
        "联系人": "",
        "手机": "",
        "意向产品": "",
        "预算": "",
    }
    assert count_rows(path) == 8  # nine lines less the header: an upper bound for a progress bar


def test_fixture_rows_map_and_the_total_line_is_a_mapping_error() -> None:
    from core.errors import MappingError

    field_map = load_field_map("excel")
    _, rows = read_rows(FIXTURES / "leads_export_gbk.csv", known_headers=field_map.header_names())
    mapped, failed = [], []
    for row in rows:
        try:
            mapped.append(map_excel_row(field_map, row.values, f"fixture:{row.line_no}"))
        except MappingError:
            failed.append(row.line_no)
    assert [lead.phone for lead in mapped] == ["+8613812345678", "+8657188881234", "+8613912345678"]
    assert [lead.products for lead in mapped] == [
        ["ortho_consumables"],
        ["ivd_reagents"],
        ["surgical_instruments"],
    ]
    assert failed == [9]


def test_broken_rows_short_long_and_multiline(tmp_path: Path) -> None:
    data = '姓名,电话,公司\n张三,138\n李四,139,智联,多出来,\n"王\n五",137,"逗号,公司"\n赵六,136,智联\n'
    headers, rows = _read(_write(tmp_path, "broken.csv", data.encode("utf-8")))
    assert headers == ["姓名", "电话", "公司"]
    assert rows[0] == ExcelRow(2, {"姓名": "张三", "电话": "138", "公司": ""})
    assert rows[1] == ExcelRow(3, {"姓名": "李四", "电话": "139", "公司": "智联", "column 4": "多出来"})
    assert rows[2] == ExcelRow(4, {"姓名": "王\n五", "电话": "137", "公司": "逗号,公司"})
    assert rows[3].line_no == 5  # a record's number, as a spreadsheet shows it, not the text line


def test_nul_bytes_and_repeated_headers_are_skipped(tmp_path: Path) -> None:
    data = "姓名,电话\n张\x00三,138\n姓名,电话\n李四,139\n"
    _, rows = _read(_write(tmp_path, "nul.csv", data.encode("utf-8")))
    assert [(r.line_no, r.values["姓名"]) for r in rows] == [(2, "张三"), (4, "李四")]


def test_integral_floats_and_blank_or_duplicate_headers(tmp_path: Path) -> None:
    data = "电话,,电话\n13812345678.0,x,13912345678\n"
    headers, rows = _read(_write(tmp_path, "dup.csv", data.encode("utf-8")))
    assert headers == ["电话", "column 2", "电话 (2)"]
    assert rows[0].values == {"电话": "13812345678", "column 2": "x", "电话 (2)": "13912345678"}


def test_tab_and_semicolon_separated(tmp_path: Path) -> None:
    tsv = "姓名\t电话\t公司\n张三\t138\t杭州智联, 滨江\n"
    _, rows = _read(_write(tmp_path, "leads.txt", tsv.encode("utf-8")))
    assert rows[0].values == {"姓名": "张三", "电话": "138", "公司": "杭州智联, 滨江"}
    semi = "name;phone\nZhang;138\n"
    _, rows = _read(_write(tmp_path, "leads.csv", semi.encode("utf-8")))
    assert rows[0].values == {"name": "Zhang", "phone": "138"}


def test_header_only_and_empty_files(tmp_path: Path) -> None:
    headers, rows = _read(_write(tmp_path, "head.csv", "姓名,电话\n\n\n".encode()))
    assert headers == ["姓名", "电话"] and rows == []
    headers, rows = _read(_write(tmp_path, "empty.csv", b""))
    assert headers == [] and rows == []
    assert count_rows(tmp_path / "empty.csv") == 0


def test_undecodable_file_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, "bin.csv", b"\x81\x30\xff\xfe\x00" * 3 + b"\x80")
    with pytest.raises(InputError, match="neither UTF-8 nor GBK"):
        read_rows(path)


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"old \.xls format"):
        read_rows(_write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(InputError, match="unknown file type"):
        read_rows(_write(tmp_path, "leads.pdf", b"%PDF"))
    with pytest.raises(InputError, match="no such file"):
        read_rows(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="no such file"):
        count_rows(tmp_path / "nope.xlsx")


def test_a_line_that_is_not_utf8_comes_alone_with_its_reason(tmp_path: Path) -> None:
    """Issue 18: one GBK line in a UTF-8 file used to turn the whole file into GB18030 mojibake."""
    data = (
        ROWS.encode("utf-8")
        + "王五,13712345678,上海瑞康\n".encode("gbk")
        + "赵六,13612345678,宁波\n".encode()
    )
    headers, rows = _read(_write(tmp_path, "mixed.csv", data))
    assert headers == ["姓名", "电话", "公司"]
    assert [(r.line_no, r.problem) for r in rows] == [
        (2, None),
        (3, None),
        (4, "line 4 is not UTF-8 (GBK?): fix it and import the file again"),
        (5, None),
    ]
    assert rows[3].values == {"姓名": "赵六", "电话": "13612345678", "公司": "宁波"}


def test_csv_limits_refuse_the_file_before_its_first_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCHUB_IMPORT_MAX_ROWS", "2")
    with pytest.raises(InputError, match=r"more than 2 rows, .*SYNCHUB_IMPORT_MAX_ROWS"):
        read_rows(_write(tmp_path, "rows.csv", ROWS.encode() + "王五,13712345678,上海\n".encode()))
    monkeypatch.setenv("SYNCHUB_IMPORT_MAX_CELL_BYTES", "64")
    with pytest.raises(InputError, match=r"a cell on line 2 is larger.*MAX_CELL_BYTES"):
        read_rows(_write(tmp_path, "cell.csv", b'a,b\n"' + b"x" * 100 + b'",c\n'))
    monkeypatch.setenv("SYNCHUB_IMPORT_MAX_LINE_BYTES", "40")
    with pytest.raises(InputError, match=r"line 2 is longer.*MAX_LINE_BYTES"):
        read_rows(_write(tmp_path, "line.csv", ("a,b\n" + "y" * 30 + "\n").encode("utf-16")))
    monkeypatch.setenv("SYNCHUB_IMPORT_MAX_FILE_BYTES", "10")
    with pytest.raises(InputError, match=r"the file has \d+ bytes.*MAX_FILE_BYTES"):
        read_rows(_write(tmp_path, "big.csv", ROWS.encode()))
