"""Import bombs (issue 18, finding 5) and two smaller import holes (finding 9).

Each hostile file is built here, streaming, and read in a child process capped at 2 GiB of address
space that reports its own peak RSS (VmHWM): before the limits the first one aborted the reader (a 512 GiB
allocation), the others took 1.6 to 3 GB or hit the cap; now each is refused in one line, naming the
setting, with the reader under 150 MB and nothing landed.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from core.errors import InputError
from core.models import Lead, QuarantinedRecord
from core.settings import get_settings
from hub.cli.main import app
from services.intake.imports import import_leads

PEAK_MB = 150
_READER = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from connectors.excel import read_rows
from core.errors import InputError
try:
    _, rows = read_rows(Path(sys.argv[1]))
    print("read", sum(1 for _ in rows))
except InputError as exc:
    print("refused", exc)
status = Path("/proc/self/status")
if status.exists():  # VmHWM: this process's own peak (ru_maxrss keeps the forking parent's across exec)
    peak_kb = int(next(line for line in status.read_text().splitlines() if line.startswith("VmHWM")).split()[1])
else:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("peak_mb", peak_kb // 1024)
"""


def _read_in_child(path: Path) -> tuple[str, int]:
    """What the reader says of ``path`` (one line) and its peak RSS in MB, in a capped child."""
    done = subprocess.run(
        [sys.executable, "-c", _READER, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-800:]  # before the fix: SIGABRT, or MemoryError at the cap
    said, peak = done.stdout.strip().splitlines()
    return said, int(peak.split()[1])


def _workbook(path: Path, sheet_xml: bytes | None = None, shared_strings: int = 0) -> Path:
    """A small valid workbook; its sheet XML replaced, or a shared string of ``shared_strings``
    bytes added (written streaming: the file stays a few hundred KB)."""
    base = path.with_suffix(".base.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["公司名称", "联系人", "手机"])
    sheet.append(["杭州智联", "王总", "13812345678"])
    book.save(base)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                data = sheet_xml
            if shared_strings and item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'<row r="3"><c r="A3" t="s"><v>0</v></c></row></sheetData>'
                )
            if shared_strings and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
                    b'.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
                )
            out.writestr(item, data)
        if shared_strings:
            with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
                block = b"a" * (1 << 20)
                for _ in range(shared_strings >> 20):
                    fh.write(block)
                fh.write(b"</t></si></sst>")
    return path


def _far_cell(path: Path, ref: str) -> Path:
    """The 5 KB workbook of the report: a ``<dimension>`` and one cell at ``ref``."""
    row = int(re.sub("[A-Z]", "", ref))
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{ref}"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>公司名称</t></is></c><c r="B1" t="inlineStr"><is><t>手机</t>'
        '</is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>智联</t></is></c><c r="B2" t="inlineStr">'
        f'<is><t>13812345678</t></is></c></row><row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    return _workbook(path, xml.encode())


def _long_csv_line(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.write("公司名称,联系人,手机\n杭州智联,王总,13812345678\n".encode())
        fh.write(b"x," * (size // 2) + b"\n")
        fh.write("苏州康达,李娜,13912345678\n".encode())
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "cell at XFD1048576": (lambda p: _far_cell(p / "far.xlsx", "XFD1048576"), "MAX_ROWS"),
    "cell at XFD3000": (lambda p: _far_cell(p / "wide.xlsx", "XFD3000"), "MAX_COLUMNS"),
    "400 MB shared string": (lambda p: _workbook(p / "cell.xlsx", shared_strings=400 << 20), "MAX_XML_BYTES"),
    "24 MB CSV line": (lambda p: _long_csv_line(p / "line.csv", 24 << 20), "MAX_LINE_BYTES"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_in_one_line_with_little_memory(name: str, tmp_path: Path) -> None:
    build, setting = HOSTILE[name]
    path = build(tmp_path)
    said, peak_mb = _read_in_child(path)
    assert said.startswith(f"refused {path.name}: ") and f"SYNCHUB_IMPORT_{setting}" in said, said
    assert "\n" not in said and "Traceback" not in said
    assert peak_mb < PEAK_MB, f"{name}: reader peaked at {peak_mb} MB"


def test_a_shared_string_over_the_cell_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the XML budget, the 4 MB string is still refused: a cell may hold 128 KiB."""
    path = _workbook(tmp_path / "cell.xlsx", shared_strings=4 << 20)
    said, peak_mb = _read_in_child(path)
    assert "SYNCHUB_IMPORT_MAX_CELL_BYTES" in said and peak_mb < PEAK_MB


def test_a_zip_member_holding_more_than_it_declares_is_refused(tmp_path: Path) -> None:
    """The header says 2 KB, the stream inflates to 64 MB: calamine would read it all."""
    path = _workbook(tmp_path / "liar.xlsx", shared_strings=64 << 20)
    data = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    at = data.rindex(b"PK\x01\x02")  # its central directory entry: the last one
    assert data[at + 46 : at + 46 + len(name)] == name
    struct.pack_into("<I", data, at + 24, 2048)  # its uncompressed size: 2 KB
    path.write_bytes(bytes(data))
    said, peak_mb = _read_in_child(path)
    assert said.startswith("refused liar.xlsx:") and "declares" in said, said
    assert peak_mb < PEAK_MB


def test_limits_come_from_settings_and_cells_without_r_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet whose cells carry no ``r=`` still lands them one after another: 40 of them reach
    column 40, over a limit of 30; the same sheet is read when the limit allows it."""
    cells = "".join(f'<c t="inlineStr"><is><t>v{i}</t></is></c>' for i in range(40))
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>公司名称</t></is></c></row><row>{cells}</row>'
        "</sheetData></worksheet>"
    )
    path = _workbook(tmp_path / "norefs.xlsx", xml.encode())
    monkeypatch.setenv("SYNCHUB_IMPORT_MAX_COLUMNS", "30")
    said, _ = _read_in_child(path)
    assert "a cell in column 40" in said and "SYNCHUB_IMPORT_MAX_COLUMNS" in said, said
    monkeypatch.setenv("SYNCHUB_IMPORT_MAX_COLUMNS", "40")
    assert _read_in_child(path)[0] == "read 1"


def test_a_file_over_a_limit_lands_nothing_even_when_the_bad_record_comes_last(
    store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,500 good rows (two landing batches), then one record of 60 fields: refused whole."""
    monkeypatch.setenv("SYNCHUB_IMPORT_MAX_COLUMNS", "50")
    lines = ["公司名称,联系人,手机"] + [f"公司{i},联系人,138{i:08d}" for i in range(1500)] + ["x," * 60]
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for in_child in (False, True):
        with pytest.raises(InputError, match=r"late\.csv: line 1502 has 61 fields.*MAX_COLUMNS"):
            import_leads(store, path, "crm", in_child=in_child)
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Lead)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(QuarantinedRecord)).scalar_one() == 0


def test_the_cli_refuses_a_bomb_in_one_line(
    store: Engine, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    path = _far_cell(tmp_path / "far.xlsx", "XFD1048576")
    result = CliRunner().invoke(app, ["import", "leads", str(path), "--source", "expo"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: far.xlsx: a cell on row 1,048,576, over the import limit of 500,000 "
        "(SYNCHUB_IMPORT_MAX_ROWS); the file was not imported"
    ]


# finding 9: one GBK line in a UTF-8 file; a landline with an extension


def test_one_gbk_line_in_a_utf8_csv_rejects_that_line_alone(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "公司名称,联系人,手机\n杭州智联医疗,王总,13812345678\n".encode()
        + "苏州康达医疗,李娜,13912345678\n".encode("gbk")
        + "上海瑞康,赵六,13712345678\n".encode()
    )
    report = import_leads(store, path, "crm")
    assert report.landing.landed == 2
    assert report.rejected == [(3, "line 3 is not UTF-8 (GBK?): fix it and import the file again")]
    with store.connect() as conn:
        companies = set(conn.execute(select(Lead.company)).scalars())
    assert companies == {"杭州智联医疗", "上海瑞康"}


@pytest.mark.parametrize("written", ["021 6123 4567-801", "021 6123 4567转801", "021 6123 4567 ext. 801"])
def test_a_landline_with_an_extension_lands_with_the_extension_in_the_remark(
    store: Engine, tmp_path: Path, written: str
) -> None:
    path = tmp_path / "switchboard.csv"
    path.write_text(f"公司名称,联系人,电话\n上海智联,王总,{written}\n", encoding="utf-8")
    report = import_leads(store, path, "crm")
    assert (report.landing.landed, report.rejected) == (1, [])
    with store.connect() as conn:
        lead = conn.execute(select(Lead.phone, Lead.phone_kind, Lead.remark)).one()
    assert tuple(lead) == ("+862161234567", "landline", "电话分机: 801")
