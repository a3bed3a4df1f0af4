"""Day-one probes: prove with the configured credentials that a source or an ERP answers.

``synchub source check NAME`` reads the first page of each configured account's recent window;
``synchub erp check kingdee|yonyou`` logs in and reads the first page of the customers feed. Nothing
of the business data is written: records are counted and one is shown redacted. Tokens a vendor
rotates during the probe are kept in the token store (as a pull would), or the next pull would hold a
refresh token the vendor already revoked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from connectors.base import CursorState
from connectors.errors import ConnectorError
from connectors.redaction import redact, redact_text
from connectors.registry import get_source_connector
from core.errors import SyncHubError
from mapping.timestamps import CHINA_TZ, to_cursor

__all__ = ["Probe", "ProbeLine", "probe_erp", "probe_source"]


@dataclass
class ProbeLine:
    """One account (source) or feed (ERP): whether it answered, how many records on the first page."""

    name: str
    ok: bool
    records: int = 0
    sample: dict[str, Any] | None = None  # the first record, secrets and phones masked
    error: str | None = None


@dataclass
class Probe:
    target: str
    base_url: str
    lines: list[ProbeLine] = field(default_factory=list)
    error: str | None = None  # nothing could be tried (no account, settings missing)

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.lines) and all(line.ok for line in self.lines)


def _failed(name: str, exc: Exception) -> ProbeLine:
    return ProbeLine(name, ok=False, error=redact_text(f"{type(exc).__name__}: {exc}"))


def probe_source(name: str, engine: Engine | None = None, days: int = 1, **options: Any) -> Probe:
    """The first page of ``days`` back for every account of source ``name``."""
    from services.intake.tokens import DatabaseTokenStore

    tokens = DatabaseTokenStore(engine) if engine is not None else None
    try:
        connector = get_source_connector(name, token_store=tokens, **options)
    except SyncHubError as exc:
        return Probe(name, "", error=str(exc))
    settings = getattr(connector, "settings", None)
    probe = Probe(name, str(getattr(settings, "base_url", "")))
    accounts = connector.accounts()
    if not accounts:
        probe.error = (
            f"{name}: no account configured (see the accounts setting in connectors/{name}/README.md)"
        )
        return probe
    end = datetime.now(CHINA_TZ)
    since = CursorState(value=to_cursor(end - timedelta(days=days)))
    for account in accounts:
        for stream in connector.streams():
            label = f"{account}/{stream}"
            try:
                page = next(iter(connector.read(stream, account, since, end)))
            except (ConnectorError, SyncHubError) as exc:
                probe.lines.append(_failed(label, exc))
                continue
            first = page.records[0].payload if page.records else None
            probe.lines.append(ProbeLine(label, True, len(page.records), redact(first) if first else None))
    return probe


def probe_erp(system: str, days: int = 30, **options: Any) -> Probe:
    """Log in to ``system`` and read the first page of its customers feed(s)."""
    from services.finance.gateways import build_gateways, not_configured

    if missing := not_configured(system):
        return Probe(system, "", error=f"{system}: set {' and '.join(missing)}")
    try:
        gateway = build_gateways([system], **options)[system]
    except SyncHubError as exc:
        return Probe(system, "", error=str(exc))
    settings = getattr(gateway, "settings", None)
    probe = Probe(system, str(getattr(settings, "base_url", "")))
    since = to_cursor(datetime.now(CHINA_TZ) - timedelta(days=days))
    try:
        for feed in gateway.feeds("customers"):
            try:
                rows = next(iter(gateway.pull(feed, since)), [])
            except (ConnectorError, SyncHubError) as exc:
                probe.lines.append(_failed(feed, exc))
                continue
            first = asdict(rows[0]) if rows else None
            probe.lines.append(ProbeLine(feed, True, len(rows), redact(first) if first else None))
    finally:
        gateway.close()
    return probe
