"""State of the Amap, DingTalk, WeCom and Alibaba Cloud SMS simulators, kept beside the source
simulators' :class:`SandboxState` (one :class:`NotifyState` per sandbox, made on first use).

Fault switches (:class:`NotifyFaults`, per vendor; ``GET``/``PUT /_sandbox/<vendor>/faults``):

=====================  =====================================================================
``rate_limit_code``    the next N requests answer the vendor's rate-limit code
``server_error``       the next N requests answer HTTP 503
``quota_exhausted``    Amap: every request answers 10003 (daily quota) until switched off
``daily_quota``        Amap: addresses geocoded before 10003 is answered (None: no limit)
``invalid_key``        every request is refused as if the key were wrong
``latency``            seconds added to every reply
``per_minute``         messages a minute per robot or per phone number before the limit code
``qps``                Amap: requests a second before 10020 (None: no limit)
=====================  =====================================================================

Received messages are kept (``GET /_sandbox/<vendor>/messages``) so tests can read what was sent.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import asdict, dataclass, field
from typing import Any

from fastapi import APIRouter, Body, HTTPException

from connectors.sandbox.faults import Companions, FaultCounters, FaultSwitches
from connectors.sandbox.state import SandboxState

__all__ = [
    "NOTIFY_CREDENTIALS",
    "NOTIFY_VENDORS",
    "NotifyFaults",
    "NotifyState",
    "admin_routes",
    "notify_state",
]

NOTIFY_VENDORS = ("amap", "dingtalk", "wecom", "aliyun_sms")

NOTIFY_CREDENTIALS: dict[str, dict[str, Any]] = {
    "amap": {"key": "amap-sandbox-key-5b1c0e", "private_key": "amap-sandbox-private-7d2f"},
    "dingtalk": {"token_prefix": "dt-sandbox-"},
    "wecom": {"key_prefix": "wx-sandbox-"},
    "aliyun_sms": {
        "access_key_id": "LTAIsandbox0001",
        "access_key_secret": "aliyun-sandbox-secret-3e",
        "sign_name": "SyncHub",
        "templates": ["SMS_1000001", "SMS_1000002", "SMS_1000003"],
    },
}


def dingtalk_secret(access_token: str) -> str:
    """The signing secret the sandbox expects for a robot: any token with the prefix is a robot."""
    return "SEC" + hashlib.sha256(access_token.encode()).hexdigest()[:32]


@dataclass
class NotifyFaults(FaultSwitches):
    rate_limit_code: int = 0
    server_error: int = 0
    quota_exhausted: bool = False
    daily_quota: int | None = None
    invalid_key: bool = False
    latency: float = 0.0
    per_minute: int = 20
    qps: float | None = None


@dataclass
class NotifyState(FaultCounters):
    lock: threading.RLock = field(default_factory=threading.RLock)
    faults: dict[str, NotifyFaults] = field(default_factory=dict)
    stats: dict[str, Counter[str]] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _windows: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.faults = {v: NotifyFaults() for v in NOTIFY_VENDORS}
            self.stats = {v: Counter() for v in NOTIFY_VENDORS}
            self.messages = {v: [] for v in NOTIFY_VENDORS}
            self._windows = defaultdict(deque)

    def count(self, vendor: str, what: str, n: int = 1) -> None:
        with self.lock:
            self.stats[vendor][what] += n

    def over_limit(self, vendor: str, who: str, seconds: float = 60.0, limit: float | None = None) -> bool:
        """A real sliding window (a minute per robot or number by default); refused requests do not
        count."""
        now = time.monotonic()
        limit = self.faults[vendor].per_minute if limit is None else limit
        with self.lock:
            window = self._windows[f"{vendor}:{who}"]
            while window and now - window[0] > seconds:
                window.popleft()
            if len(window) >= limit:
                self.stats[vendor]["rate_limited"] += 1
                return True
            window.append(now)
            return False

    def delay(self, vendor: str) -> None:
        latency = self.faults[vendor].latency
        if latency > 0:
            time.sleep(latency)

    def record(self, vendor: str, message: dict[str, Any]) -> None:
        with self.lock:
            self.messages[vendor].append(message)


_STATES = Companions(NotifyState)


def notify_state(sandbox: SandboxState) -> NotifyState:
    """The simulators' state that belongs with ``sandbox``."""
    return _STATES.of(sandbox)


def admin_routes(router: APIRouter, state: NotifyState, vendor: str) -> None:
    """``/_sandbox/<vendor>/faults`` (GET, PUT), ``/messages``, ``/stats`` and ``/reset``."""
    prefix = f"/_sandbox/{vendor}"

    @router.get(prefix + "/faults")
    def get_faults() -> dict[str, Any]:
        return asdict(state.faults[vendor])

    @router.put(prefix + "/faults")
    def put_faults(changes: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
        with state.lock:
            try:
                state.faults[vendor].update(changes)
            except ValueError as exc:
                raise HTTPException(400, str(exc)) from exc
        return get_faults()

    @router.get(prefix + "/messages")
    def messages() -> list[dict[str, Any]]:
        with state.lock:
            return list(state.messages[vendor])

    @router.get(prefix + "/stats")
    def stats() -> dict[str, int]:
        with state.lock:
            return dict(state.stats[vendor])

    @router.post(prefix + "/reset")
    def reset() -> dict[str, str]:
        with state.lock:
            state.faults[vendor] = NotifyFaults()
            state.stats[vendor] = Counter()
            state.messages[vendor] = []
        return {"status": "reset"}
