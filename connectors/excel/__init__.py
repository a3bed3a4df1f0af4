"""Lead lists from spreadsheets: .xlsx (openpyxl, read-only) and .csv (UTF-8 with or without BOM,
GBK/GB18030, UTF-16), with the header row found under any title rows. See README.md."""

from __future__ import annotations

from connectors.excel.reader import ExcelRow, count_rows, read_rows

__all__ = ["ExcelRow", "count_rows", "read_rows"]
