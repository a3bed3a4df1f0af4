"""Raw rows of a file as ``(line number, [cell text, ...])``, one reader per format."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from connectors.excel._cells import cell_text
from core.errors import InputError

__all__ = ["csv_rows", "detect_encoding", "xlsx_rows"]

RawRows = Generator[tuple[int, list[str]], None, None]
_CHUNK = 1 << 20


def detect_encoding(path: Path) -> str:
    """utf-16 (by BOM), else utf-8-sig if the whole file decodes, else gb18030 (a superset of GBK)."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        for encoding in ("utf-8-sig", "gb18030"):
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError:
                fh.seek(0)
    raise InputError(f"{path.name}: the text is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV")


def _sniff_delimiter(sample: list[str]) -> str:
    lines = [line for line in sample if line.strip()][:20]
    if len(lines) >= 2 and all("\t" in line for line in lines[-min(len(lines), 5) :]):
        return "\t"
    if not any("," in line for line in lines) and any(";" in line for line in lines):
        return ";"
    return ","


def _without_nul(fh: IO[str]) -> Iterator[str]:
    for line in fh:
        yield line.replace("\0", "") if "\0" in line else line


def csv_rows(path: Path) -> RawRows:
    """Records of a CSV (or tab-separated) file; a record's number is the row a spreadsheet shows."""
    encoding = detect_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = [fh.readline() for _ in range(20)]
        fh.seek(0)
        reader = csv.reader(_without_nul(fh), delimiter=_sniff_delimiter(sample))
        line_no = 0
        try:
            for line_no, record in enumerate(reader, start=1):
                yield line_no, [cell_text(c) for c in record]
        except csv.Error as exc:
            raise InputError(f"{path.name}: line {line_no + 1} is not valid CSV ({exc})") from exc


def _open_workbook(path: Path) -> CalamineWorkbook:
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path.name}: not an .xlsx file (an old .xls? save it as .xlsx or .csv)")
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, ValueError, OSError) as exc:  # CalamineError: ZipError, XmlError, PasswordError
        raise InputError(f"{path.name}: cannot read the workbook ({exc})") from exc


def _sheet(workbook: CalamineWorkbook, sheet: str | None, path: Path) -> CalamineSheet:
    names: list[str] = workbook.sheet_names
    if not names:
        raise InputError(f"{path.name}: the workbook has no sheet")
    if sheet is not None and sheet not in names:
        raise InputError(f"{path.name}: no sheet named {sheet!r}; sheets: {', '.join(names)}")
    try:
        return workbook.get_sheet_by_name(sheet if sheet is not None else names[0])
    except (CalamineError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot read sheet {sheet or names[0]!r} ({exc})") from exc


def xlsx_rows(path: Path, sheet: str | None = None) -> RawRows:
    """Rows of one sheet (the first unless named), numbered as Excel numbers them.

    calamine (Rust) parses the sheet about 9x faster than openpyxl; it reads the cached values of
    formulas, as openpyxl's ``data_only`` did. Its rows start at row 1 but at the first used column,
    so the empty columns before it are put back: a cell keeps its column.
    """
    worksheet = _sheet(_open_workbook(path), sheet, path)
    start = worksheet.start  # None for an empty sheet
    pad = [""] * start[1] if start else []
    try:
        rows = worksheet.iter_rows()
    except (CalamineError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot read the sheet ({exc})") from exc
    for line_no, row in enumerate(rows, start=1):
        cells = [cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        yield line_no, (pad + cells if pad and cells else cells)
