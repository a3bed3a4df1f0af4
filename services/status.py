"""What ops want to see at a glance: sources and their freshness, cursors, backlogs, dead letters,
and the last flow runs.

One function gathers the figures; the CLI renders them as tables, the console as a page and the API
as Prometheus gauges (``core.metrics.StatusCollector``), so all three always agree. Last runs are
read from the ledger, where every flow run signs its writes (actor ``flow:NAME/RUN``, correlation
``flow-run:ID``): they show without a Prefect server, and a run that changed nothing does not show
(Prefect has every run, with its counts attached as an artifact).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from core.models import Lead, OutboxMessage, QuarantinedRecord, Source, SyncCursor, utcnow
from services.routing.ownership import DuplicateRate, duplicate_followup
from store.engine import session_scope

__all__ = ["FlowRunSummary", "HubStatus", "SourceStatus", "gather_status", "last_runs"]

RUN_DAYS = 7
RUN_LIMIT = 30


@dataclass(frozen=True)
class SourceStatus:
    name: str
    kind: str
    enabled: bool
    last_delivery_at: datetime | None
    expected_interval_s: int | None
    leads: int
    quarantined_open: int

    def silent_for(self, now: datetime) -> timedelta | None:
        return None if self.last_delivery_at is None else now - self.last_delivery_at

    def is_stale(self, now: datetime) -> bool:
        """Delivered nothing new for longer than expected (never delivered counts as stale)."""
        if not self.enabled or self.expected_interval_s is None:
            return False
        silent = self.silent_for(now)
        return silent is None or silent > timedelta(seconds=self.expected_interval_s)


@dataclass(frozen=True)
class FlowRunSummary:
    flow: str
    run: str
    run_id: str  # Prefect's flow-run id, or "local" for a flow function called without a server
    first_at: datetime
    last_at: datetime
    entries: int  # ledger entries the run wrote


@dataclass(frozen=True)
class HubStatus:
    at: datetime
    sources: list[SourceStatus]
    cursors: list[tuple[str, str, str, str | None, datetime]]
    outbox: dict[str, int]
    quarantine_open: int
    awaiting_geocode: int = 0
    unrouted_leads: int = 0
    runs: list[FlowRunSummary] = field(default_factory=list)
    duplicate_followup: DuplicateRate | None = None  # customers held by two or more people, 30 days

    def stale(self) -> list[SourceStatus]:
        return [s for s in self.sources if s.is_stale(self.at)]

    def backlogs(self) -> dict[str, int]:
        """Work waiting, by kind: quarantine, geocoding, routing and the outbox by status (done left out)."""
        return {
            "quarantine_open": self.quarantine_open,
            "awaiting_geocode": self.awaiting_geocode,
            "unrouted_leads": self.unrouted_leads,
            **{f"outbox_{k}": v for k, v in sorted(self.outbox.items()) if k != "done"},
        }


def gather_status(engine: Engine, now: datetime | None = None, *, runs: bool = False) -> HubStatus:
    """The figures; ``runs`` adds the last flow runs (a grouped read of the ledger's last days, which
    the people's views want and the metrics scrape and the freshness watch do not)."""
    now = now or utcnow()
    with session_scope(engine) as s:
        leads = dict(s.execute(select(Lead.source_id, func.count()).group_by(Lead.source_id)).all())
        open_q = dict(
            s.execute(
                select(QuarantinedRecord.source_id, func.count())
                .where(QuarantinedRecord.status == "open")
                .group_by(QuarantinedRecord.source_id)
            ).all()
        )
        sources = [
            SourceStatus(
                src.name,
                src.kind,
                src.enabled,
                src.last_delivery_at,
                src.expected_interval_s,
                leads.get(src.id, 0),
                open_q.get(src.id, 0),
            )
            for src in s.scalars(select(Source).order_by(Source.name))
        ]
        cursors = [
            (c.connector, c.stream, c.account, c.value, c.updated_at)
            for c in s.scalars(select(SyncCursor).order_by(SyncCursor.connector, SyncCursor.account))
        ]
        outbox = dict(
            s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
        )
        geocode = s.scalar(
            select(func.count()).select_from(Lead).where(Lead.geocode_status == "awaiting_geocode")
        )
        unrouted = s.scalar(
            select(func.count()).select_from(Lead).where(Lead.stage == "new", Lead.owner.is_(None))
        )
        duplicates = duplicate_followup(s, now)
    return HubStatus(
        now,
        sources,
        cursors,
        outbox,
        sum(open_q.values()),
        int(geocode or 0),
        int(unrouted or 0),
        last_runs(engine, now - timedelta(days=RUN_DAYS), RUN_LIMIT) if runs else [],
        duplicates,
    )


def last_runs(engine: Engine, since: datetime, limit: int = RUN_LIMIT) -> list[FlowRunSummary]:
    """The flow runs that wrote to the ledger since ``since``, the latest first."""
    last = func.max(AuditLog.recorded_at)
    query = (
        select(AuditLog.actor, AuditLog.correlation_id, func.min(AuditLog.recorded_at), last, func.count())
        .where(AuditLog.actor.startswith("flow:"), AuditLog.recorded_at >= since)
        .group_by(AuditLog.actor, AuditLog.correlation_id)
        .order_by(last.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    out = []
    for actor, correlation, first, latest, n in rows:
        flow, _, run = actor.removeprefix("flow:").partition("/")
        run_id = (correlation or "").removeprefix("flow-run:")
        out.append(FlowRunSummary(flow, run or "—", run_id, first, latest, n))
    return out
