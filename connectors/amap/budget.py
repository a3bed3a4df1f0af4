"""The process-wide request budget of an Amap key: a token bucket for QPS and a gate for the daily
quota. Every client made for the same key in one process shares them, whichever flow made it, so
two flows running side by side never add up to more than the key's QPS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["QuotaGate", "TokenBucket", "next_quota_reset", "shared_budget"]

BEIJING = timezone(timedelta(hours=8))


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved; :meth:`acquire` blocks until one is free."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._stamp = clock()
        self._lock = threading.Lock()

    def _wait_time(self) -> float:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        wait = (1 - self._tokens) / self.rate
        self._tokens -= 1  # reserve it: the next caller queues behind this one
        return wait

    def acquire(self) -> float:
        """Take one token; returns the seconds waited."""
        with self._lock:
            wait = self._wait_time()
        if wait > 0:
            self._sleep(wait)
        return wait


def next_quota_reset(now: datetime | None = None) -> datetime:
    """Amap daily quotas renew at midnight, Beijing time."""
    local = (now or datetime.now(UTC)).astimezone(BEIJING)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


class QuotaGate:
    """Closed from a quota error until the quota renews."""

    def __init__(self) -> None:
        self.closed_until: datetime | None = None
        self._lock = threading.Lock()

    def close(self, until: datetime) -> None:
        with self._lock:
            self.closed_until = until

    def open_at(self, now: datetime | None = None) -> datetime | None:
        """When the gate opens again, or None when it is open now."""
        with self._lock:
            if self.closed_until is None:
                return None
            if (now or datetime.now(UTC)) >= self.closed_until:
                self.closed_until = None
                return None
            return self.closed_until


_budgets: dict[str, tuple[TokenBucket, QuotaGate]] = {}
_budgets_lock = threading.Lock()


def shared_budget(name: str, rate: float, burst: int = 1) -> tuple[TokenBucket, QuotaGate]:
    """The bucket and gate of ``name`` (base URL + key) in this process; made on first use."""
    with _budgets_lock:
        found = _budgets.get(name)
        if found is None or found[0].rate != rate or found[0].burst != burst:
            gate = found[1] if found else QuotaGate()
            found = _budgets[name] = (TokenBucket(rate, burst), gate)
        return found
