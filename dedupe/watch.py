"""Matching new leads for a while with one customer index: what the scheduled ``dedupe-leads`` run does.

Each scheduled run is its own process, so an index built in one run cannot serve the next. A run that
watches for ``seconds`` builds the index once, then every ``poll_seconds`` links the leads that have
arrived, refreshing the index with the customers other processes added meanwhile (by id, as
:meth:`~dedupe.service.CustomerMatcher.refresh` does). With the default schedule (every 10 minutes,
watching 9½) a lead meets its customer within seconds of landing, and the index is rebuilt six times an
hour instead of sixty. What a long-lived index does not see until the next build: customers edited
or unmerged in the meantime (a new lead still links to the golden record read from the store).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from dedupe.service import CustomerMatcher, match_pending_leads
from store.engine import session_scope

__all__ = ["watch_pending_leads"]

COUNTS = ("leads", "linked_to_existing", "new_customers")


def watch_pending_leads(
    engine: Engine,
    seconds: float = 0.0,
    poll_seconds: float = 5.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Link pending leads now and every ``poll_seconds`` until ``seconds`` have passed (0: one pass)."""
    started = clock()
    deadline = started + seconds
    with session_scope(engine) as session:
        matcher = CustomerMatcher.from_store(session)
    totals = dict.fromkeys(COUNTS, 0)
    passes = 0
    while True:
        with session_scope(engine) as session:
            report = match_pending_leads(session, matcher)
        passes += 1
        for key in COUNTS:
            totals[key] += int(report[key])
        if clock() + poll_seconds > deadline:
            break
        sleep(poll_seconds)
    return {
        **totals,
        "passes": passes,
        "indexed_customers": len(matcher.index),
        "merged_golden_ids": sorted(matcher.merged),  # whose owners the caller settles
        "seconds": round(clock() - started, 3),
    }
