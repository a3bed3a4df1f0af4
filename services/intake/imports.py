"""``synchub import leads FILE``: a spreadsheet or CSV into the hub, with a report of rejected rows.

A row that cannot be mapped (no way to identify or reach anyone, or a broken required value) is
rejected with its spreadsheet line number and reason, and not landed: the file itself is the record
of it, and the report (also written next to the file as CSV) says what to fix. Good rows land in
batches, each batch one transaction; importing the same file again changes nothing. A file over the
import limits (``SYNCHUB_IMPORT_*``, ``connectors.excel.settings``) is refused before its first row,
so nothing of it lands.

Reading and mapping a row cost about half as much as landing it, so a large file (over 2 MB, some
30,000 rows) is read and mapped in a child process (``services.intake.child_iter``) while this one lands.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from audit.context import audit_context
from connectors.base import SourceRecord
from connectors.excel import read_rows
from core.errors import MappingError
from core.models import Source
from mapping import FieldMap, load_field_map, map_excel_row
from mapping.canonical import CanonicalLead
from services.intake.child_iter import iterate_in_child
from services.intake.landing import LandingResult, ensure_source, land_records
from store.engine import session_scope
from store.wal_checkpoint import WalCheckpointer

__all__ = ["ImportReport", "import_leads", "mapped_rows"]

BATCH = 1000
CHILD_MIN_BYTES = 2_000_000  # ~30,000 rows: the child's ~0.5 s start-up is then noise

Mapped = tuple[int, SourceRecord | None, CanonicalLead | None, str | None]  # line, record, lead, reason


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    landing: LandingResult = field(default_factory=LandingResult)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0
    rejects_file: str | None = None


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def import_leads(
    engine: Engine,
    path: Path,
    source_name: str,
    mapping_file: Path | None = None,
    sheet: str | None = None,
    progress: Callable[[int], None] | None = None,
    in_child: bool | None = None,
) -> ImportReport:
    """Import ``path``; ``in_child`` reads and maps in a child process (default: files over 2 MB)."""
    started = time.perf_counter()
    field_map = load_field_map("excel", mapping_file)
    file_id = _file_digest(path)
    report = ImportReport(file=str(path))
    with session_scope(engine) as s:
        config = {"mapping_file": str(mapping_file)} if mapping_file else {}
        source_id = ensure_source(s, source_name, "excel", **config).id
    if in_child is None:
        in_child = path.stat().st_size >= CHILD_MIN_BYTES
    rows: Iterator[Mapped] = (
        iterate_in_child(
            "services.intake.imports:mapped_rows_of",
            str(path),
            file_id,
            str(mapping_file or ""),
            sheet or "",
            what=f"reading {path.name}",
        )
        if in_child
        else mapped_rows(field_map, path, file_id, sheet)
    )
    batch: list[tuple[SourceRecord, CanonicalLead]] = []
    with (
        WalCheckpointer(engine),
        audit_context(actor=f"import:{path.name}", correlation_id=f"file:{file_id}"),
    ):
        for line_no, record, lead, reason in rows:
            report.rows += 1
            if record is None or lead is None:
                report.rejected.append((line_no, reason or "rejected"))
            else:
                batch.append((record, lead))
            if len(batch) >= BATCH:
                _land(engine, source_id, batch, report)
                batch = []
            if progress is not None:
                progress(report.rows)
        if batch:
            _land(engine, source_id, batch, report)
    if report.rejected:
        report.rejects_file = str(_write_rejects(path, report.rejected))
    report.seconds = time.perf_counter() - started
    return report


def mapped_rows(field_map: FieldMap, path: Path, file_id: str, sheet: str | None = None) -> Iterator[Mapped]:
    """Every data row of the file, mapped to a lead or rejected with the reason."""
    name = path.name
    _headers, rows = read_rows(path, sheet, known_headers=field_map.header_names())
    for row in rows:
        if row.problem is not None:  # a line that cannot be read: rejected with its reason
            yield row.line_no, None, None, row.problem
            continue
        external_id = f"{file_id}:{row.line_no}"
        try:
            canonical = map_excel_row(field_map, row.values, external_id)
        except MappingError as exc:
            yield row.line_no, None, None, str(exc)
            continue
        payload = {"id": external_id, "file": name, "line": row.line_no, "row": row.values}
        yield (
            row.line_no,
            SourceRecord(external_id=external_id, account=name, payload=payload),
            canonical,
            None,
        )


def mapped_rows_of(path: str, file_id: str, mapping_file: str, sheet: str) -> Iterator[Mapped]:
    """:func:`mapped_rows` with string arguments: what the child process runs."""
    field_map = load_field_map("excel", Path(mapping_file) if mapping_file else None)
    return mapped_rows(field_map, Path(path), file_id, sheet or None)


def _land(
    engine: Engine, source_id: int, batch: list[tuple[SourceRecord, CanonicalLead]], report: ImportReport
) -> None:
    mapped = {record.external_id: canonical for record, canonical in batch}
    with session_scope(engine) as s:
        source = s.get_one(Source, source_id)
        result = land_records(s, source, [r for r, _ in batch], lambda payload: mapped[str(payload["id"])])
    report.landing.merge(result)


def _write_rejects(path: Path, rejected: list[tuple[int, str]]) -> Path:
    out = path.with_name(f"{path.stem}.rejects.csv")
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "reason"])
        writer.writerows(rejected)
    return out
