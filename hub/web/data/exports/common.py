"""What every export definition returns: the sheets to stream and the file's name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.engine import Engine

from core.errors import InputError
from core.models import Source
from services.exports import Sheet, write_workbook
from services.exports.xlsx import Progress
from store.engine import session_scope

__all__ = ["Export", "source_names"]


def source_names(engine: Engine, wanted: str | None) -> dict[int, str]:
    """Source id -> name; ``InputError`` listing the names when ``wanted`` is none of them."""
    with session_scope(engine) as s:
        names: dict[int, str] = {int(i): str(n) for i, n in s.execute(select(Source.id, Source.name))}
    if wanted is not None and wanted not in names.values():
        raise InputError(f"没有名为 {wanted!r} 的来源；现有来源：{', '.join(sorted(names.values())) or '无'}")
    return names


@dataclass
class Export:
    """A workbook not yet written: its sheets' rows are read while :meth:`write` runs."""

    filename: str
    sheets: list[Sheet]

    def write(self, target: str | Path | IO[bytes], progress: Progress | None = None) -> int:
        """Stream the workbook to ``target``; the number of data rows written (every sheet)."""
        return write_workbook(target, self.sheets, progress)
