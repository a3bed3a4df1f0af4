"""Raw rows of a file as ``(line number, [cell text, ...])``, one reader per format."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Generator, Iterable, Iterator
from itertools import islice
from pathlib import Path

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from connectors.excel._cells import cell_text
from connectors.excel._csv_text import CsvText, survey_csv
from connectors.excel.settings import ImportSettings
from core.errors import InputError

__all__ = ["RawRows", "csv_rows", "xlsx_rows"]

# (row number, cells, reason the row cannot be read or None)
RawRows = Generator[tuple[int, list[str], str | None], None, None]
_CHUNK = 1 << 20


def _sniff_delimiter(sample: list[str]) -> str:
    lines = [line for line in sample if line.strip()][:20]
    if len(lines) >= 2 and all("\t" in line for line in lines[-min(len(lines), 5) :]):
        return "\t"
    if not any("," in line for line in lines) and any(";" in line for line in lines):
        return ";"
    return ","


def _without_nul(fh: Iterable[str]) -> Iterator[str]:
    for line in fh:
        yield line.replace("\0", "") if "\0" in line else line


def csv_rows(path: Path, limits: ImportSettings) -> RawRows:
    """Records of a CSV (or tab-separated) file; a record's number is the row a spreadsheet shows.

    The whole file is read once without keeping anything, so a record over a limit refuses the file
    before its first row is given; a line that is not UTF-8 (in a UTF-8 file) is given with a reason.
    """
    text = survey_csv(path, limits)
    for _ in _records(text, clean=False):  # the dry run: limits only
        pass
    yield from _records(text, clean=True)


def _records(text: CsvText, *, clean: bool) -> RawRows:
    path, limits = text.path, text.limits
    lines = text.lines()
    sample = list(islice(lines, 20))
    lines.close()
    text.skipped.clear()
    csv.field_size_limit(limits.max_cell_bytes)
    reader = csv.reader(_without_nul(text.lines()), delimiter=_sniff_delimiter(sample))
    line_no, seen = 0, 0
    try:
        for line_no, record in enumerate(reader, start=1):
            if line_no > limits.max_rows:
                raise InputError(limits.refusal(path.name, f"more than {limits.max_rows:,} rows", "max_rows"))
            if len(record) > limits.max_columns:
                what = f"line {line_no} has {len(record):,} fields"
                raise InputError(limits.refusal(path.name, what, "max_columns"))
            if len(text.skipped) > seen:  # a line of this record was not UTF-8
                seen = len(text.skipped)
                yield line_no, [], f"line {line_no} is not UTF-8 (GBK?): fix it and import the file again"
            elif clean:
                yield line_no, [cell_text(c) for c in record], None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            what = f"a cell on line {line_no + 1} is larger"
            raise InputError(limits.refusal(path.name, what, "max_cell_bytes")) from exc
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


def xlsx_rows(path: Path, limits: ImportSettings, sheet: str | None = None) -> RawRows:
    """Rows of one sheet (the first unless named), numbered as Excel numbers them.

    calamine (Rust) parses the sheet about 9x faster than openpyxl; it reads the cached values of
    formulas, as openpyxl's ``data_only`` did. Its rows start at row 1 but at the first used column,
    so the empty columns before it are put back: a cell keeps its column. The caller has checked the
    file against ``limits`` (``check_xlsx``); the grid calamine made is checked again here.
    """
    worksheet = _sheet(_open_workbook(path), sheet, path)
    start = worksheet.start  # None for an empty sheet
    if worksheet.end is not None and (
        worksheet.end[0] >= limits.max_rows or worksheet.height * worksheet.width > limits.max_cells
    ):
        what = f"a sheet of {worksheet.height:,} rows x {worksheet.width:,} columns"
        raise InputError(limits.refusal(path.name, what, "max_cells"))
    pad = [""] * start[1] if start else []
    try:
        rows = worksheet.iter_rows()
    except (CalamineError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot read the sheet ({exc})") from exc
    for line_no, row in enumerate(rows, start=1):
        cells = [cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        yield line_no, (pad + cells if pad and cells else cells), None
