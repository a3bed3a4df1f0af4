"""What every export definition returns: the sheets to stream and the file's name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from services.exports import Sheet, write_workbook
from services.exports.xlsx import Progress

__all__ = ["Export"]


@dataclass
class Export:
    """A workbook not yet written: its sheets' rows are read while :meth:`write` runs."""

    filename: str
    sheets: list[Sheet]

    def write(self, target: str | Path | IO[bytes], progress: Progress | None = None) -> int:
        """Stream the workbook to ``target``; the number of data rows written (every sheet)."""
        return write_workbook(target, self.sheets, progress)
