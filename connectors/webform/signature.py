"""``X-SyncHub-Signature: sha256=HEX(HmacSHA256(form_secret, f"{timestamp}.{raw_body}"))``.

Rejections carry the HTTP status and a message for the sender; nothing about the secret leaks.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping

from core.errors import InputError

__all__ = ["ReplayGuard", "WebhookRejected", "sign", "verify_request"]

TIMESTAMP_HEADER = "x-synchub-timestamp"
SIGNATURE_HEADER = "x-synchub-signature"


class WebhookRejected(InputError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


class ReplayGuard:
    """Remembers (timestamp, signature) pairs for the replay window; thread-safe, bounded.

    Per process: a replay reaching another worker process is still harmless, because landing is
    idempotent on the submission id; this guard makes the sender see a clear 409.
    """

    def __init__(self, window_seconds: int, max_entries: int = 100_000) -> None:
        self.window = window_seconds
        self.max_entries = max_entries
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def check_and_remember(self, timestamp: str, signature: str, now: float) -> bool:
        """True the first time a pair is seen inside the window."""
        with self._lock:
            cutoff = now - 2 * self.window
            while self._seen and (
                next(iter(self._seen.values())) < cutoff or len(self._seen) >= self.max_entries
            ):
                self._seen.popitem(last=False)
            if (timestamp, signature) in self._seen:
                return False
            self._seen[(timestamp, signature)] = now
            return True


def verify_request(
    headers: Mapping[str, str],
    body: bytes,
    secret: str,
    window_seconds: int,
    replay_guard: ReplayGuard | None = None,
    now: float | None = None,
) -> None:
    """Raise :class:`WebhookRejected` unless the request is authentic, fresh and not a replay."""
    now = time.time() if now is None else now
    stamp = headers.get(TIMESTAMP_HEADER)
    given = headers.get(SIGNATURE_HEADER)
    if not stamp or not given:
        raise WebhookRejected(401, "missing X-SyncHub-Timestamp or X-SyncHub-Signature header")
    try:
        sent_at = int(stamp)
    except ValueError:
        raise WebhookRejected(401, "X-SyncHub-Timestamp must be epoch seconds") from None
    if abs(now - sent_at) > window_seconds:
        raise WebhookRejected(401, f"stale timestamp: more than {window_seconds} s from the server clock")
    if not hmac.compare_digest(sign(secret, stamp, body), given.strip()):
        raise WebhookRejected(401, "bad signature")
    if replay_guard is not None and not replay_guard.check_and_remember(stamp, given, now):
        raise WebhookRejected(409, "replayed request: this timestamp and signature were already used")
