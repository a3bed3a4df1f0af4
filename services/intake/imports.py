"""``synchub import leads FILE``: a spreadsheet or CSV into the hub, with a report of rejected rows.

A row that cannot be mapped (no way to identify or reach anyone, or a broken required value) is
rejected with its spreadsheet line number and reason, and not landed: the file itself is the record
of it, and the report (also written next to the file as CSV) says what to fix. Good rows land in
batches, each batch one transaction; importing the same file again changes nothing. A file over the
import limits (``SYNCHUB_IMPORT_*``, ``connectors.excel.settings``) is refused before its first row,
so nothing of it lands.

The report is also the import's summary: every column of the file, with the lead field it fed or
none (an unused column is not lost: each landed row keeps its whole row in the raw payload), how many
values could not be read (budget, time ...: kept in the lead's remark) and which product words the
vocabulary does not know (kept in the remark too, to be reviewed into ``mapping/data/products.toml``).

Reading and mapping a row cost about half as much as landing it, so a large file (over 2 MB, some
30,000 rows) is read and mapped in a child process (``services.intake.child_iter``) while this one lands.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlalchemy.engine import Engine

from audit.context import audit_context
from connectors.base import SourceRecord
from connectors.excel import read_rows
from core.errors import MappingError
from core.models import Source
from mapping import FieldMap, Findings, load_field_map, read_excel_row
from mapping.canonical import CanonicalLead
from services.intake.child_iter import iterate_in_child
from services.intake.landing import LandingResult, ensure_source, land_records
from store.engine import session_scope
from store.wal_checkpoint import WalCheckpointer

__all__ = ["ImportReport", "Mapped", "import_leads", "mapped_rows"]

BATCH = 1000
SHOWN_WORDS = 20  # unknown product words named in the summary, most frequent first
CHILD_MIN_BYTES = 2_000_000  # ~30,000 rows: the child's ~0.5 s start-up is then noise


class Mapped(NamedTuple):
    """One data row: landed as ``record``/``lead``, or rejected for ``reason``."""

    line: int
    record: SourceRecord | None
    lead: CanonicalLead | None
    reason: str | None
    findings: Findings | None = None  # what the lead kept in its remark instead of using
    columns: tuple[str, ...] = ()  # headers first seen on this row (all of them on the first row)


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    landing: LandingResult = field(default_factory=LandingResult)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0
    rejects_file: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)
    """Every column of the file, in order: header -> the lead field it feeds, None if none."""
    unread: Counter[str] = field(default_factory=Counter)
    """Lead field -> rows whose value could not be read (the raw text is in the lead's remark)."""
    unknown_products: Counter[str] = field(default_factory=Counter)
    """Product words the vocabulary does not know -> rows (kept in the lead's remark)."""

    @property
    def used_columns(self) -> dict[str, str]:
        return {header: target for header, target in self.columns.items() if target is not None}

    @property
    def unused_columns(self) -> list[str]:
        """Columns no lead field reads: still in every landed row's raw payload."""
        return [header for header, target in self.columns.items() if target is None]

    def summary_lines(self) -> list[str]:
        """The columns used and not used, and what the leads kept in their remarks, one line each."""
        used = ", ".join(f"{header} → {target}" for header, target in self.used_columns.items())
        lines = [f"columns used: {used or 'none'}"]
        if self.unused_columns:
            lines.append(
                f"columns not used (kept in each row's raw payload): {', '.join(self.unused_columns)}"
            )
        if self.unread:
            counts = ", ".join(
                f"{t} {n}" for t, n in sorted(self.unread.items(), key=lambda i: (-i[1], i[0]))
            )
            lines.append(f"values not readable (kept in the lead's remark): {counts}")
        if self.unknown_products:
            words = sorted(self.unknown_products.items(), key=lambda i: (-i[1], i[0]))
            shown = ", ".join(f"{word} ×{n}" for word, n in words[:SHOWN_WORDS])
            more = f" and {len(words) - SHOWN_WORDS} more" if len(words) > SHOWN_WORDS else ""
            lines.append(f"product words not in the vocabulary (kept in the remark): {shown}{more}")
        return lines

    def tally(self, item: Mapped, field_map: FieldMap) -> None:
        """Count one row of the file into the summary."""
        self.rows += 1
        for header in item.columns:
            hit = field_map.column_target(header)
            self.columns.setdefault(header, hit[0] if hit else None)
        if item.findings is not None:
            self.unread.update(item.findings.unread)
            self.unknown_products.update(item.findings.unknown_products)


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
        for item in rows:
            report.tally(item, field_map)
            if item.record is None or item.lead is None:
                report.rejected.append((item.line, item.reason or "rejected"))
            else:
                batch.append((item.record, item.lead))
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
    headers, rows = read_rows(path, sheet, known_headers=field_map.header_names())
    unseen: list[str] = list(headers)  # given with the first row; cells past the header come later
    seen = set(headers)
    for row in rows:
        unseen.extend(h for h in row.values if h not in seen)
        seen.update(row.values)
        columns, unseen = tuple(unseen), []
        if row.problem is not None:  # a line that cannot be read: rejected with its reason
            yield Mapped(row.line_no, None, None, row.problem, columns=columns)
            continue
        external_id = f"{file_id}:{row.line_no}"
        try:
            canonical, findings = read_excel_row(field_map, row.values, external_id)
        except MappingError as exc:
            yield Mapped(row.line_no, None, None, str(exc), columns=columns)
            continue
        payload = {"id": external_id, "file": name, "line": row.line_no, "row": row.values}
        record = SourceRecord(external_id=external_id, account=name, payload=payload)
        yield Mapped(row.line_no, record, canonical, None, findings, columns)


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
