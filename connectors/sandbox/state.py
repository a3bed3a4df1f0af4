"""The sandbox's state: seeded leads per vendor and account, tokens, fault switches and counters.

Fault switches (:class:`VendorFaults`, per vendor; also over ``/_sandbox/faults``):

========================  ==============================================================
``http_429``              the next N API requests answer HTTP 429 with ``Retry-After``
``retry_after``           seconds in that header (default 1)
``rate_limit_code``       the next N API requests answer the vendor's rate-limit code
``vendor_rate_code``      which code that is (None: the vendor's usual one)
``server_error``          the next N API requests answer HTTP 503
``expire_access_token``   the current access token is expired (until a refresh)
``expire_refresh_token``  refreshing fails with the vendor's refresh-token-expired code
``latency``               seconds added to every API reply
``stall_next``            the next N API replies are delayed ``stall_seconds`` (timeouts)
``qps_limit``             a real limiter: more requests than this in one second get the code
``paging_depth``          records one window can be paged through (Tencent: 5,000)
``leads_info_object``     Tencent v3.0 answers ``data.leads_info`` as one object, as documented
========================  ==============================================================
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from connectors.incremental import CST
from connectors.sandbox.faults import FaultCounters, FaultSwitches
from connectors.sandbox.render import RENDERERS
from connectors.sandbox.seed import generate_leads

__all__ = ["SANDBOX_CREDENTIALS", "VENDORS", "SandboxState", "TokenBook", "VendorFaults"]

VENDORS = ("ocean_engine", "tencent_ads", "baidu")

SANDBOX_CREDENTIALS: dict[str, dict[str, Any]] = {
    "ocean_engine": {"app_id": "1790000000000001", "app_secret": "oe-sandbox-app-secret-7f3a",
                     "advertiser_ids": ["1760000000000001", "1760000000000002"]},
    "tencent_ads": {"client_id": "1110000001", "client_secret": "tx-sandbox-client-secret-9c1e",
                    "account_ids": ["20458001", "20458002"]},
    "baidu": {"app_id": "bd-sandbox-app", "secret_key": "bd-sandbox-secret-key-5d2b", "user_id": "31000001",
              "user_names": ["zhilian-sem", "zhilian-feed"]},
}  # fmt: skip
ACCOUNT_FIELD = {"ocean_engine": "advertiser_ids", "tencent_ads": "account_ids", "baidu": "user_names"}
ID_FIELD = {"ocean_engine": "clue_id", "tencent_ads": "leads_id", "baidu": "clueId"}
TIME_FIELD = {"ocean_engine": "create_time_detail", "tencent_ads": "leads_create_time", "baidu": "commitTime"}


def initial_token(vendor: str, kind: str, generation: int = 0) -> str:
    digest = hashlib.sha256(f"{vendor}:{kind}:{generation}".encode()).hexdigest()[:24]
    return f"{vendor[:2]}-{kind}-{generation}-{digest}"


@dataclass
class VendorFaults(FaultSwitches):
    http_429: int = 0
    retry_after: int = 1
    rate_limit_code: int = 0
    vendor_rate_code: int | None = None
    server_error: int = 0
    expire_access_token: bool = False
    expire_refresh_token: bool = False
    latency: float = 0.0
    stall_next: int = 0
    stall_seconds: float = 2.0
    qps_limit: float | None = None
    paging_depth: int = 5000
    leads_info_object: bool = False


@dataclass
class TokenBook:
    """One vendor's current token pair; older access tokens count as expired, others as invalid."""

    vendor: str
    generation: int = 0
    access_token: str = ""
    refresh_token: str = ""
    retired: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.access_token = self.access_token or initial_token(self.vendor, "access")
        self.refresh_token = self.refresh_token or initial_token(self.vendor, "refresh")

    def check(self, token: str | None, *, expired_now: bool) -> str:
        if not token:
            return "missing"
        if token == self.access_token:
            return "expired" if expired_now else "ok"
        return "expired" if token in self.retired else "invalid"

    def rotate(self, *, refresh_too: bool) -> None:
        self.retired.add(self.access_token)
        self.generation += 1
        self.access_token = initial_token(self.vendor, "access", self.generation)
        if refresh_too:
            self.refresh_token = initial_token(self.vendor, "refresh", self.generation)


class SandboxState(FaultCounters):
    """Everything the simulators know; thread-safe (uvicorn serves sync endpoints from a pool)."""

    def __init__(self, seed: int = 42, leads_per_account: int = 45) -> None:
        self.seed = seed
        self.leads_per_account = leads_per_account
        self.lock = threading.RLock()
        self.records: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self.reset()

    def _seed_records(self) -> None:
        for vendor in VENDORS:
            self.records[vendor] = {}
            for account in SANDBOX_CREDENTIALS[vendor][ACCOUNT_FIELD[vendor]]:
                rng = random.Random(f"{self.seed}:{vendor}:{account}")
                leads = generate_leads(f"{self.seed}:{vendor}:{account}", self.leads_per_account)
                self.records[vendor][account] = [RENDERERS[vendor](lead, rng, account) for lead in leads]

    def reset(self) -> None:
        """Fresh tokens, no faults, no counters; the seeded records stay (added ones are removed)."""
        with self.lock:
            self._seed_records()
            self.tokens = {vendor: TokenBook(vendor) for vendor in VENDORS}
            self.faults = {vendor: VendorFaults() for vendor in VENDORS}
            self.stats: dict[str, Counter[str]] = {vendor: Counter() for vendor in VENDORS}
            self.nonces: set[str] = set()
            self._recent: dict[str, deque[float]] = {vendor: deque() for vendor in VENDORS}

    # -- data ---------------------------------------------------------------------------------
    def accounts(self, vendor: str) -> list[str]:
        return list(self.records[vendor])

    def all_records(self, vendor: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for rows in self.records[vendor].values() for r in rows]

    def window(
        self, vendor: str, account: str, start: datetime, end: datetime, key: str | None = None
    ) -> list[dict[str, Any]]:
        """Records of ``account`` whose ``key`` time (default: submitted) is in [start, end] (Beijing
        time), newest first."""
        fmt, key = "%Y-%m-%d %H:%M:%S", key or TIME_FIELD[vendor]
        low, high = start.astimezone(CST).strftime(fmt), end.astimezone(CST).strftime(fmt)
        with self.lock:
            rows = [r for r in self.records[vendor].get(account, []) if low <= r[key] <= high]
        return sorted(rows, key=lambda r: (r[key], r[ID_FIELD[vendor]]), reverse=True)

    def add_lead(self, vendor: str, account: str, created_at: datetime) -> dict[str, Any]:
        """Append one new lead (for incremental tests) and return it as the vendor will send it."""
        with self.lock:
            rng = random.Random(f"{self.seed}:{vendor}:{account}:extra:{len(self.records[vendor][account])}")
            lead = replace(generate_leads(str(rng.random()), 1, start=created_at)[0], created_at=created_at)
            record = RENDERERS[vendor](lead, rng, account)
            self.records[vendor][account].append(record)
            return record

    # -- faults -------------------------------------------------------------------------------
    def over_qps(self, vendor: str) -> bool:
        limit = self.faults[vendor].qps_limit
        now = time.monotonic()
        with self.lock:
            recent = self._recent[vendor]
            while recent and now - recent[0] > 1.0:
                recent.popleft()
            if limit is not None and len(recent) >= limit:
                return True  # refused requests do not count against the window
            recent.append(now)
            return False

    def count(self, vendor: str, what: str) -> None:
        with self.lock:
            self.stats[vendor][what] += 1

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "faults": {v: asdict(f) for v, f in self.faults.items()},
                "stats": {v: dict(c) for v, c in self.stats.items()},
                "token_generation": {v: t.generation for v, t in self.tokens.items()},
            }
