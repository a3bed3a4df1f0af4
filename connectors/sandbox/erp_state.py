"""State of the ERP simulators (Kingdee, Yonyou): bills kept by business key, sessions and tokens,
fault switches and counters. Tests count duplicates with :meth:`ErpState.count_bills`.

Fault switches (:class:`ErpFaults`, per ERP; also over ``PUT /_sandbox/erp/faults``):

====================  ===========================================================================
``latency``           seconds added to every reply (a slow ERP)
``server_error``      the next N calls answer HTTP 503 before doing anything
``rate_limit``        the next N calls answer HTTP 429 with ``Retry-After: retry_after``
``expire_session``    the next N calls find their session (token) expired
``lost_reply``        the next N writes create the bill, then the reply is lost: ``lost_reply_mode``
                      ``timeout`` stalls ``stall_seconds`` before answering, ``504`` answers a gateway
                      timeout, ``500`` an internal error
``slow_commit``       the next N writes stall ``stall_seconds`` *before* creating the bill
====================  ===========================================================================
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from connectors.incremental import CST
from connectors.sandbox.faults import Companions, FaultCounters, FaultSwitches

__all__ = [
    "ERP_CREDENTIALS",
    "ERP_SYSTEMS",
    "ErpFaults",
    "ErpState",
    "admin_router",
    "erp_state_of",
    "gate",
    "lose_reply",
]

ERP_SYSTEMS = ("kingdee", "yonyou")
ERP_CREDENTIALS: dict[str, dict[str, Any]] = {
    "kingdee": {"acct_id": "63f0a1b2c3d4e5", "username": "synchub",
                "app_id": "251124_c3luY2h1Yi1zYW5kYm94LWdhdGV3YXkh",  # <client id>_<32 chars>, as issued
                "app_secret": "kd-sandbox-app-secret-3e9b", "password": "kd-sandbox-password-71c2"},
    "yonyou": {"from_account": "synchub", "to_account": "u8_001", "app_key": "opa-sandbox-app-key",
               "app_secret": "yy-sandbox-app-secret-4d8e", "tenant_id": "synchubsandboxtenant"},
}  # fmt: skip


@dataclass
class ErpFaults(FaultSwitches):
    latency: float = 0.0
    server_error: int = 0
    rate_limit: int = 0
    retry_after: float = 0.05
    expire_session: int = 0
    lost_reply: int = 0
    lost_reply_mode: str = "timeout"
    slow_commit: int = 0
    stall_seconds: float = 1.0


def _now_text() -> str:
    return datetime.now(CST).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class ErpState(FaultCounters):
    """Everything both ERP simulators hold; every method is thread-safe."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    clock: Callable[[], str] = _now_text  # "YYYY-MM-DDTHH:MM:SS", Beijing time
    faults: dict[str, ErpFaults] = field(default_factory=lambda: {s: ErpFaults() for s in ERP_SYSTEMS})
    stats: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in ERP_SYSTEMS})
    forms: dict[str, dict[str, list[dict[str, Any]]]] = field(
        default_factory=lambda: {s: {} for s in ERP_SYSTEMS}
    )
    sessions: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in ERP_SYSTEMS})
    tradeids: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100001))

    def reset(self) -> None:
        with self.lock:
            for system in ERP_SYSTEMS:
                self.faults[system] = ErpFaults()
                self.stats[system] = Counter()
                self.forms[system] = {}
                self.sessions[system] = set()
            self.tradeids.clear()

    def next_id(self) -> int:
        with self.lock:
            return next(self._ids)

    def count(self, system: str, what: str) -> None:
        with self.lock:
            self.stats[system][what] += 1

    def rows(self, system: str, form: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.forms[system].get(form, []))

    def add(self, system: str, form: str, row: dict[str, Any]) -> dict[str, Any]:
        """Store a record; ``FModifyDate`` (Kingdee) / ``ts`` (Yonyou) is stamped if absent."""
        with self.lock:
            row.setdefault("FModifyDate" if system == "kingdee" else "ts", self.clock())
            self.forms[system].setdefault(form, []).append(row)
            return row

    def find(self, system: str, form: str, key: str, value: Any) -> dict[str, Any] | None:
        with self.lock:
            return next((r for r in self.forms[system].get(form, []) if r.get(key) == value), None)

    def count_bills(self, system: str, business_key: str) -> int:
        """Receivable bills holding ``business_key`` as their number or in their remark."""
        with self.lock:
            form = "AR_receivable" if system == "kingdee" else "receivable"
            return sum(1 for r in self.forms[system].get(form, []) if _holds(r, business_key))

    def bill_keys(self, system: str) -> Counter[str]:
        """Every receivable's number, counted (a count above 1 is a duplicate)."""
        with self.lock:
            form = "AR_receivable" if system == "kingdee" else "receivable"
            return Counter(
                str(r.get("FAR_Remark") or r.get("memo") or "") for r in self.forms[system].get(form, [])
            )

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "faults": {s: asdict(f) for s, f in self.faults.items()},
                "stats": {s: dict(c) for s, c in self.stats.items()},
                "counts": {
                    s: {form: len(rows) for form, rows in forms.items()} for s, forms in self.forms.items()
                },
            }


def gate(state: ErpState, system: str, what: str) -> JSONResponse | None:
    """Count the call, add latency, and answer 429 / 503 when those faults fire."""
    state.count(system, what)
    faults = state.faults[system]
    if faults.latency > 0:
        time.sleep(faults.latency)
    if state.take(system, "rate_limit"):
        return JSONResponse({"message": "Too Many Requests"}, 429, {"Retry-After": str(faults.retry_after)})
    if state.take(system, "server_error"):
        return JSONResponse({"message": "Service Unavailable"}, status_code=503)
    return None


def lose_reply(state: ErpState, system: str) -> JSONResponse | None:
    """After a write committed: stall past the client's timeout, or answer 504 / 500, when it fires."""
    faults = state.faults[system]
    if not state.take(system, "lost_reply"):
        return None
    if faults.lost_reply_mode == "timeout":
        time.sleep(faults.stall_seconds)
        return None
    code = 504 if faults.lost_reply_mode == "504" else 500
    return JSONResponse({"message": "upstream lost"}, status_code=code)


def _holds(row: dict[str, Any], key: str) -> bool:
    remark = str(row.get("FAR_Remark") or row.get("memo") or "")
    return key in (row.get("FBillNo"), row.get("code"), remark) or remark.endswith(":" + key)


_STATES = Companions(ErpState)


def erp_state_of(sandbox: Any) -> ErpState:
    """The ERP state that belongs to a ``SandboxState`` (created on first use)."""
    return _STATES.of(sandbox)


def admin_router(state: ErpState) -> APIRouter:
    """``GET|PUT /_sandbox/erp/faults``, ``POST /_sandbox/erp/reset``, ``GET /_sandbox/erp/stats``."""
    router = APIRouter(tags=["erp sandbox admin"])

    @router.get("/_sandbox/erp/faults")
    def get_faults() -> dict[str, Any]:
        faults: dict[str, Any] = state.snapshot()["faults"]
        return faults

    @router.put("/_sandbox/erp/faults")
    def put_faults(changes: dict[str, dict[str, Any]] = Body(...)) -> JSONResponse:  # noqa: B008
        try:
            with state.lock:
                for system, switches in changes.items():
                    state.faults[system].update(switches)
        except (KeyError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(state.snapshot()["faults"])

    @router.post("/_sandbox/erp/reset")
    def reset() -> dict[str, str]:
        state.reset()
        return {"status": "reset"}

    @router.get("/_sandbox/erp/stats")
    def stats() -> dict[str, Any]:
        return state.snapshot()

    return router
