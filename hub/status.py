"""What ops want to see at a glance: sources and their freshness, cursors, backlogs, dead letters.

One function gathers the figures; the CLI renders them as tables and the API as Prometheus text, so
both always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hub.models import Lead, OutboxMessage, QuarantinedRecord, Source, SyncCursor, utcnow
from hub.store import session_scope

__all__ = ["HubStatus", "SourceStatus", "gather_status", "prometheus_text"]


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
class HubStatus:
    at: datetime
    sources: list[SourceStatus]
    cursors: list[tuple[str, str, str, str | None, datetime]]
    outbox: dict[str, int]
    quarantine_open: int

    def stale(self) -> list[SourceStatus]:
        return [s for s in self.sources if s.is_stale(self.at)]


def gather_status(engine: Engine, now: datetime | None = None) -> HubStatus:
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
    return HubStatus(now, sources, cursors, outbox, sum(open_q.values()))


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def prometheus_text(status: HubStatus) -> str:
    """The same figures in the Prometheus text exposition format."""
    lines = [
        "# HELP synchub_source_leads Leads landed per source.",
        "# TYPE synchub_source_leads gauge",
        *(f'synchub_source_leads{{source="{_label(s.name)}"}} {s.leads}' for s in status.sources),
        "# HELP synchub_source_seconds_since_delivery Seconds since the source last delivered something new.",
        "# TYPE synchub_source_seconds_since_delivery gauge",
    ]
    for src in status.sources:
        silent = src.silent_for(status.at)
        if silent is not None:
            name = _label(src.name)
            lines.append(
                f'synchub_source_seconds_since_delivery{{source="{name}"}} {silent.total_seconds():.0f}'
            )
    lines += [
        "# HELP synchub_source_stale 1 when a source is silent for longer than its expected interval.",
        "# TYPE synchub_source_stale gauge",
        *(
            f'synchub_source_stale{{source="{_label(s.name)}"}} {int(s.is_stale(status.at))}'
            for s in status.sources
        ),
        "# HELP synchub_quarantine_open Records waiting in quarantine.",
        "# TYPE synchub_quarantine_open gauge",
        f"synchub_quarantine_open {status.quarantine_open}",
        "# HELP synchub_outbox_messages Outbox messages by status (dead = dead letters).",
        "# TYPE synchub_outbox_messages gauge",
        *(f'synchub_outbox_messages{{status="{_label(k)}"}} {v}' for k, v in sorted(status.outbox.items())),
    ]
    return "\n".join(lines) + "\n"
