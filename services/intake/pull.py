"""Pulling a source: for each stream and account, pages from the connector are landed together with
the page's cursor state in one transaction, so a crash between pages neither skips nor duplicates."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from connectors.base import CursorState, SourceConnector
from core.metrics import PULLED_RECORDS
from core.models import Source, SyncCursor
from services.intake.landing import LandingResult, ensure_source, land_records
from store.engine import session_scope

__all__ = ["PullReport", "load_cursor", "pull_source", "save_cursor"]

log = logging.getLogger("synchub.pull")


@dataclass
class PullReport:
    source: str
    pages: int = 0
    landing: LandingResult = field(default_factory=LandingResult)
    per_account: dict[str, int] = field(default_factory=dict)


def _cursor_row(session: Session, connector: str, stream: str, account: str) -> SyncCursor | None:
    return session.scalars(
        select(SyncCursor).where(
            SyncCursor.connector == connector, SyncCursor.stream == stream, SyncCursor.account == account
        )
    ).one_or_none()


def load_cursor(engine: Engine, connector: str, stream: str, account: str) -> CursorState:
    with session_scope(engine) as s:
        row = _cursor_row(s, connector, stream, account)
        if row is None:
            return CursorState()
        return CursorState(row.value, tuple(row.boundary_keys or ()))


def save_cursor(session: Session, connector: str, stream: str, account: str, state: CursorState) -> None:
    row = _cursor_row(session, connector, stream, account)
    if row is None:
        row = SyncCursor(connector=connector, stream=stream, account=account)
        session.add(row)
    if row.value is not None and (state.value is None or state.value < row.value):
        # another worker pulling the same account got further: never move the cursor backwards
        log.info("cursor %s/%s/%s stays at %s (this page ends at %s)", connector, stream, account, row.value,
                 state.value)  # fmt: skip
        return
    row.value, row.boundary_keys = state.value, list(state.boundary_keys)


def pull_source(
    engine: Engine,
    connector: SourceConnector,
    source_name: str | None = None,
    end: datetime | None = None,
) -> PullReport:
    """Pull every stream and account of ``connector`` into the source ``source_name``."""
    name = source_name or connector.name
    with session_scope(engine) as s:
        source_id = ensure_source(s, name, connector.name).id
    report = PullReport(name)
    for stream in connector.streams():
        for account in connector.accounts():
            state = load_cursor(engine, connector.name, stream, account)
            for page in connector.read(stream, account, state, end):
                with session_scope(engine) as s:
                    source = s.get_one(Source, source_id)
                    result = land_records(s, source, page.records)
                    save_cursor(s, connector.name, stream, account, page.state)
                report.pages += 1
                PULLED_RECORDS.labels(name).inc(len(page.records))
                report.landing.merge(result)
                report.per_account[account] = report.per_account.get(account, 0) + len(page.records)
    log.info(
        "pulled %s: %d pages, %d landed, %d updated, %d unchanged, %d quarantined",
        name, report.pages, report.landing.landed, report.landing.updated,
        report.landing.unchanged, report.landing.quarantined,
    )  # fmt: skip
    return report
