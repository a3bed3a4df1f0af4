"""Every Prometheus metric of the hub, defined here and nowhere else (``prometheus_client``).

Two kinds:

* **Events**, counted where they happen, in this process: records pulled, landings by outcome, ERP
  pushes, web-hook latency, notifications, flow runs and the connectors' HTTP requests, responses and
  retries. They live in :data:`REGISTRY`, the hub's own registry (not the library's default one, which
  Prefect and others also fill).
* **Status gauges**, read at scrape time from the store by :class:`StatusCollector` (the figures of
  ``synchub status``: ``services.status.gather_status``), so they are true whichever process scrapes.

``/metrics`` (``hub.api.app``) serves :func:`scrape_registry`: a registry made per app holding both, so
several apps in one process (tests) never register a series twice. Counters of one process are seen
by that process's scrape; to add up the flows run by ``synchub serve`` and the API workers of
``serve-api --workers N`` on one machine, give them all the same empty directory in
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode; set before the processes start,
cleared when they are all restarted).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

__all__ = [
    "ERP_PUSHES",
    "FLOW_RUNS",
    "HTTP_REQUESTS",
    "HTTP_RESPONSES",
    "HTTP_RETRIES",
    "LANDINGS",
    "NOTIFICATIONS",
    "PULLED_RECORDS",
    "REGISTRY",
    "WEBHOOK_SECONDS",
    "StatusCollector",
    "scrape_registry",
]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
REGISTRY = CollectorRegistry()

PULLED_RECORDS = Counter(
    "synchub_pulled_records", "Records read from a source by pulls, before landing.", ["source"],
    registry=REGISTRY,
)  # fmt: skip
LANDINGS = Counter(
    "synchub_landings",
    "Records landed, by source and outcome: landed (new), updated, duplicate, stale, quarantined.",
    ["source", "outcome"],
    registry=REGISTRY,
)
ERP_PUSHES = Counter(
    "synchub_erp_pushes",
    "Outbox pushes to an ERP by result: ok (created, found or already there), cancelled, retry, dead.",
    ["system", "result"],
    registry=REGISTRY,
)
WEBHOOK_SECONDS = Histogram(
    "synchub_webhook_seconds",
    "Time to land and answer one signed web-hook call (web form, contract), rejections included.",
    ["hook"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
NOTIFICATIONS = Counter(
    "synchub_notifications",
    "Notification sends by channel and outcome: sent, throttled (folded for later), rejected, failed.",
    ["channel", "outcome"],
    registry=REGISTRY,
)
FLOW_RUNS = Counter(
    "synchub_flow_runs", "Flow runs that ended, by flow and final state.", ["flow", "state"],
    registry=REGISTRY,
)  # fmt: skip
HTTP_REQUESTS = Counter(
    "synchub_http_requests", "HTTP requests the connectors sent.", ["connector", "stream"],
    registry=REGISTRY,
)  # fmt: skip
HTTP_RESPONSES = Counter(
    "synchub_http_responses", "HTTP responses the connectors received, by status code.",
    ["connector", "stream", "code"], registry=REGISTRY,
)  # fmt: skip
HTTP_RETRIES = Counter(
    "synchub_http_retries", "HTTP requests the connectors' retry layer sent again.", ["connector", "stream"],
    registry=REGISTRY,
)  # fmt: skip


class SourceFigures(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def leads(self) -> int: ...
    def silent_for(self, now: datetime) -> timedelta | None: ...
    def is_stale(self, now: datetime) -> bool: ...


class RateFigure(Protocol):
    @property
    def rate(self) -> float: ...


class StatusFigures(Protocol):
    """What :class:`StatusCollector` reads (``services.status.HubStatus``)."""

    @property
    def at(self) -> datetime: ...
    @property
    def sources(self) -> Sequence[SourceFigures]: ...
    @property
    def outbox(self) -> Mapping[str, int]: ...
    @property
    def quarantine_open(self) -> int: ...
    @property
    def awaiting_geocode(self) -> int: ...
    @property
    def unrouted_leads(self) -> int: ...
    @property
    def duplicate_followup(self) -> RateFigure | None: ...


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


class StatusCollector(Collector):
    """The status gauges, gathered at each scrape by ``gather``."""

    def __init__(self, gather: Callable[[], StatusFigures]) -> None:
        self.gather = gather

    def collect(self) -> Iterator[Metric]:
        status = self.gather()
        leads = GaugeMetricFamily("synchub_source_leads", "Leads landed per source.", labels=["source"])
        silent = GaugeMetricFamily(
            "synchub_source_seconds_since_delivery",
            "Seconds since the source last delivered something new.",
            labels=["source"],
        )
        stale = GaugeMetricFamily(
            "synchub_source_stale",
            "1 when a source is silent for longer than its expected interval.",
            labels=["source"],
        )
        for source in status.sources:
            leads.add_metric([source.name], source.leads)
            stale.add_metric([source.name], int(source.is_stale(status.at)))
            if (quiet := source.silent_for(status.at)) is not None:
                silent.add_metric([source.name], round(quiet.total_seconds()))
        outbox = GaugeMetricFamily(
            "synchub_outbox_messages", "Outbox messages by status (dead = dead letters).", labels=["status"]
        )
        for state, count in sorted(status.outbox.items()):
            outbox.add_metric([state], count)
        dup = status.duplicate_followup
        yield from (leads, silent, stale, outbox)
        yield _gauge("synchub_quarantine_open", "Records waiting in quarantine.", status.quarantine_open)
        yield _gauge(
            "synchub_leads_awaiting_geocode",
            "Leads waiting for Amap (quota exhausted or failing).",
            status.awaiting_geocode,
        )
        yield _gauge("synchub_leads_unrouted", "New leads with no owner yet.", status.unrouted_leads)
        yield _gauge(
            "synchub_duplicate_followup_rate",
            "Customers with leads in 30 days held by two or more people.",
            round(dup.rate, 4) if dup else 0.0,
        )


class _Events(Collector):
    """The event counters: this process's, or every process's in multiprocess mode."""

    def collect(self) -> Iterator[Metric]:
        if os.environ.get(MULTIPROC_ENV):
            every: Collector = MultiProcessCollector(None)  # type: ignore[no-untyped-call]
            yield from every.collect()
        else:
            yield from REGISTRY.collect()


def scrape_registry(gather: Callable[[], StatusFigures]) -> CollectorRegistry:
    """A registry for one app's ``/metrics``: the event counters and the status gauges of ``gather``."""
    registry = CollectorRegistry()
    registry.register(_Events())
    registry.register(StatusCollector(gather))
    return registry
