"""Reading lead lists from .xlsx and .csv files into rows keyed by their header text."""

from __future__ import annotations

from collections.abc import Collection, Generator, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from connectors.excel._count import xlsx_last_row
from connectors.excel._header import HEADER_SCAN_ROWS, find_header, unique_headers
from connectors.excel._sources import RawRows, csv_rows, xlsx_rows
from connectors.excel._xlsx_limits import check_xlsx
from connectors.excel.settings import ImportSettings
from core.errors import InputError

__all__ = ["ExcelRow", "count_rows", "read_rows"]

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})


@dataclass(frozen=True, slots=True)
class ExcelRow:
    line_no: int  # the spreadsheet's own 1-based row number, as a person sees it
    values: dict[str, str]  # header -> cell text ("" for an empty cell)
    problem: str | None = None  # why the row cannot be read (its values are then empty)


def _kind(path: Path) -> str:
    """ "xlsx" or "csv", or :class:`InputError` saying what is wrong with the file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix == ".xls":
        raise InputError(f"{path.name}: the old .xls format is not supported; save it as .xlsx or .csv")
    raise InputError(f"{path.name}: unknown file type {suffix!r}; expected .xlsx or .csv")


def _raw_rows(path: Path, sheet: str | None, limits: ImportSettings) -> RawRows:
    """The rows, once the file is known to be within ``limits``: an xlsx is scanned before calamine
    opens it, a CSV read once through before its first row is given (``csv_rows``)."""
    kind = _kind(path)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputError(limits.refusal(path.name, f"the file has {size:,} bytes", "max_file_bytes"))
    if kind == "csv":
        return csv_rows(path, limits)
    check_xlsx(path, limits)
    return xlsx_rows(path, limits, sheet)


def read_rows(
    path: Path,
    sheet: str | None = None,
    *,
    known_headers: Collection[str] = (),
    limits: ImportSettings | None = None,
) -> tuple[list[str], Iterator[ExcelRow]]:
    """The header names and an iterator over the data rows below them; empty rows are skipped.

    ``known_headers`` (e.g. ``FieldMap.header_names()``) helps find the header row under title rows.
    Unreadable files raise :class:`InputError`; so does a CSV record that cannot be parsed, with its
    line number, and a file over ``limits`` (default: ``ImportSettings()``, from the environment),
    before any row is given. A row that cannot be read alone (a line of a UTF-8 CSV that is not
    UTF-8) comes with its :attr:`ExcelRow.problem`.
    """
    raw = _raw_rows(path, sheet, limits or ImportSettings())
    head: list[tuple[int, list[str], str | None]] = []
    for item in raw:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    index = find_header([cells for _, cells, _ in head], known_headers)
    if index is None:
        raw.close()
        return [], iter(())
    header_cells = list(head[index][1])
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    headers = unique_headers(header_cells)
    return headers, _data_rows(headers, header_cells, chain(head[index + 1 :], raw), raw)


def _data_rows(
    headers: list[str],
    header_cells: list[str],
    rows: Iterator[tuple[int, list[str], str | None]],
    raw: RawRows,
) -> Generator[ExcelRow, None, None]:
    width = len(headers)
    try:
        for line_no, cells, problem in rows:
            if problem is not None:
                yield ExcelRow(line_no, {}, problem)
                continue
            if not any(cells) or cells == header_cells:  # blank, or the header repeated on a new page
                continue
            values = dict(zip(headers, cells, strict=False))
            if len(cells) < width:
                values.update((h, "") for h in headers[len(cells) :])
            for n, extra in enumerate(cells[width:], start=width + 1):
                if extra:
                    values[f"column {n}"] = extra
            yield ExcelRow(line_no, values)
    finally:
        raw.close()


def count_rows(path: Path, sheet: str | None = None) -> int:
    """A cheap upper bound on the data rows, for a progress bar: the sheet's last row number, or the
    CSV's line count, minus one for the header (title and blank rows are still counted)."""
    if _kind(path) == "xlsx":
        return max(xlsx_last_row(path, sheet) - 1, 0)
    lines, last_byte = 0, b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
            last_byte = chunk[-1:]
    lines += last_byte != b"\n"
    return max(lines - 1, 0)
