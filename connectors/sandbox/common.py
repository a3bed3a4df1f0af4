"""What every simulated API does before its own work: count, delay, and inject faults."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from fastapi.responses import JSONResponse

from connectors.sandbox.state import SandboxState

__all__ = ["gate", "request_id"]


def request_id() -> str:
    return uuid.uuid4().hex[:24]


def gate(
    state: SandboxState, vendor: str, rate_limited: Callable[[int], JSONResponse], default_rate_code: int
) -> JSONResponse | None:
    """Apply the vendor's fault switches; a response to send instead of the real one, or None."""
    state.count(vendor, "requests")
    faults = state.faults[vendor]
    if faults.latency > 0:
        time.sleep(faults.latency)
    if state.take(vendor, "stall_next"):
        time.sleep(faults.stall_seconds)
    if state.take(vendor, "http_429"):
        return JSONResponse(
            {"message": "Too Many Requests"},
            status_code=429,
            headers={"Retry-After": str(faults.retry_after)},
        )
    if state.take(vendor, "server_error"):
        return JSONResponse({"message": "Service Unavailable"}, status_code=503)
    if state.take(vendor, "rate_limit_code") or state.over_qps(vendor):
        state.count(vendor, "rate_limited")
        return rate_limited(faults.vendor_rate_code or default_rate_code)
    return None
