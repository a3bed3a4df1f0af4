"""Group commit for pushed records (webhooks): requests queue their record, one worker thread lands
whatever has queued up in a single transaction, and each request is answered once its batch has
committed. Under load this amortises the per-transaction cost (session, lookups, lock, commit) over
the batch; at low load a batch is one record and nothing waits.

The answer is only sent after the commit, so "landed before the response" holds. If a batch fails,
each record is landed again in a transaction of its own: the honest ones land, a record that fails
alone is quarantined with the reason (or, when the database itself is away, its sender is told to
retry; landing is idempotent).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from audit.context import audit_context
from connectors.base import SourceRecord
from core.errors import UnstorableRecordError
from services.intake.landing import Outcome, ensure_source, land_records, quarantine
from store.engine import session_scope
from store.failures import describe, is_transient, storable_copy
from store.wal_checkpoint import WalCheckpointer

__all__ = ["BatchLander"]

log = logging.getLogger("synchub.lander")


@dataclass
class _Job:
    source: str
    kind: str
    record: SourceRecord
    future: Future[tuple[Outcome, str]] = field(default_factory=Future)


class BatchLander:
    def __init__(
        self, engine: Engine, actor_prefix: str = "api", max_batch: int = 256, gather_s: float = 0.003
    ) -> None:
        self.engine = engine
        self.actor_prefix = actor_prefix
        self.max_batch = max_batch
        self.gather_s = gather_s
        self.batch_sizes: list[int] = []
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self.checkpointer = WalCheckpointer(engine).start()
        self._thread = threading.Thread(target=self._run, name="synchub-lander", daemon=True)
        self._thread.start()

    def submit(self, source: str, kind: str, record: SourceRecord) -> Future[tuple[Outcome, str]]:
        """Queue one record; the future yields (outcome, batch correlation id) after the commit."""
        job = _Job(source, kind, record)
        self._queue.put(job)
        return job.future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self.checkpointer.stop()

    def _take_batch(self) -> list[_Job] | None:
        first = self._queue.get()
        if first is None:
            return None
        jobs = [first]
        deadline = time.monotonic() + self.gather_s
        while len(jobs) < self.max_batch:
            try:  # a few ms of gathering: the HTTP side needs the GIL to queue the next requests
                job = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if job is None:
                self._queue.put(None)  # stop after this batch
                break
            jobs.append(job)
        if len(self.batch_sizes) < 100_000:
            self.batch_sizes.append(len(jobs))
        return jobs

    def _run(self) -> None:
        while (jobs := self._take_batch()) is not None:
            correlation = f"batch:{uuid.uuid4().hex[:16]}"
            try:
                outcomes = self._land(jobs, correlation)
            except Exception as exc:
                if len(jobs) == 1:
                    self._settle_alone(jobs[0], correlation, exc)
                    continue
                # One record may have failed the whole group: land each alone, so a poisoned
                # submission never costs its neighbours their answer.
                log.warning("a batch of %d records failed (%s); landing them one by one", len(jobs),
                            type(exc).__name__)  # fmt: skip
                for job in jobs:
                    self._land_alone(job, f"{correlation}.{uuid.uuid4().hex[:6]}")
                continue
            for job in jobs:
                job.future.set_result((outcomes[(job.source, job.record.external_id)], correlation))

    def _land_alone(self, job: _Job, correlation: str) -> None:
        try:
            outcome = self._land([job], correlation)[(job.source, job.record.external_id)]
        except Exception as exc:
            self._settle_alone(job, correlation, exc)
            return
        job.future.set_result((outcome, correlation))

    def _settle_alone(self, job: _Job, correlation: str, exc: Exception) -> None:
        """A record that failed in a transaction of its own: a passing fault (the database away, a
        lock timeout) goes back to the sender to retry; anything else will fail again, so the record
        is quarantined with the reason instead of being refused forever."""
        if is_transient(exc):
            log.error("landing %s failed: %s", job.source, describe(exc))
            job.future.set_exception(exc)
            return
        reason = f"could not be stored: {describe(exc)}"
        log.warning("landing %s: %s; quarantined", job.source, reason)
        try:
            actor = f"{self.actor_prefix}:{job.source}"
            with audit_context(correlation_id=correlation, actor=actor), session_scope(self.engine) as s:
                source = ensure_source(s, job.source, job.kind)
                quarantine(s, source, None, storable_copy(job.record.payload), "landing", reason)
        except Exception as second:
            log.error("quarantining %s failed too: %s", job.source, describe(second))
            job.future.set_exception(UnstorableRecordError(reason))
            return
        job.future.set_result((Outcome("quarantined", None, reason), correlation))

    def _land(self, jobs: list[_Job], correlation: str) -> dict[tuple[str, str], Outcome]:
        by_source: dict[tuple[str, str], list[SourceRecord]] = {}
        for job in jobs:
            by_source.setdefault((job.source, job.kind), []).append(job.record)
        outcomes: dict[tuple[str, str], Outcome] = {}
        with audit_context(correlation_id=correlation), session_scope(self.engine) as s:
            for (name, kind), records in by_source.items():
                with audit_context(actor=f"{self.actor_prefix}:{name}"):  # land_records flushes inside
                    source = ensure_source(s, name, kind)
                    result = land_records(s, source, records)
                outcomes.update({(name, ext): outcome for ext, outcome in result.outcomes.items()})
        return outcomes
