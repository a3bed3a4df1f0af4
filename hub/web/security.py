"""Signed session cookies, CSRF tokens and the login lockout; HMAC-SHA256 with the console secret.

A session cookie is ``base64url(JSON {u, sid, iat, pw}) "." base64url(HMAC)``: the user name, a
random session id, the issue time and the user's password stamp (a new password ends old sessions).
Roles are never taken from the cookie: they are read from the users file on every request.

A CSRF token is the HMAC of the session id, so it needs no server-side state; before login, the
login form's token is the HMAC of a random nonce kept in a short-lived cookie. Logout puts the session
id on a revocation list (``hub.web.sessions``).

Failed logins are limited per user name (:class:`LoginLimiter`) and per client address
(:class:`AddressThrottle`): a spray of random user names from one address stops at the second.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

__all__ = ["AddressThrottle", "LoginLimiter", "Session", "Signer"]

MAX_TRACKED = 10_000  # names or addresses remembered; the oldest is forgotten first


@dataclass(frozen=True)
class Session:
    user: str
    sid: str
    issued_at: int
    stamp: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    def __init__(self, secret: str, max_age_s: float) -> None:
        self._key = hashlib.sha256(b"synchub-web\x00" + secret.encode()).digest()
        self.max_age_s = max_age_s

    def _mac(self, purpose: str, data: str) -> str:
        return _b64(hmac.new(self._key, f"{purpose}\x00{data}".encode(), hashlib.sha256).digest())

    def issue(self, user: str, stamp: str, now: float | None = None) -> str:
        body = {"u": user, "sid": secrets.token_hex(16), "iat": int(now or time.time()), "pw": stamp}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._mac('session', payload)}"

    def read(self, cookie: str | None, now: float | None = None) -> Session | None:
        """The session in a cookie, or None when it is missing, forged, malformed or too old."""
        if not cookie or cookie.count(".") != 1:
            return None
        payload, mac = cookie.split(".")
        if not hmac.compare_digest(mac, self._mac("session", payload)):
            return None
        try:
            body = json.loads(_unb64(payload))
            session = Session(str(body["u"]), str(body["sid"]), int(body["iat"]), str(body["pw"]))
        except (ValueError, KeyError, TypeError):
            return None
        age = (now or time.time()) - session.issued_at
        return session if 0 <= age <= self.max_age_s else None

    def csrf_token(self, sid: str) -> str:
        return self._mac("csrf", sid)

    def check_csrf(self, sid: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(sid))


class LoginLimiter:
    """Locks a user name after ``failures`` failed logins in a row, for ``lock_s`` seconds.

    In memory, per process: run one console process (or put the lockout in front, at the proxy).
    """

    def __init__(self, failures: int, lock_s: float) -> None:
        self.failures, self.lock_s = failures, lock_s
        self._lock = threading.Lock()
        self._failed: dict[str, deque[float]] = {}

    def locked_for(self, name: str, now: float | None = None) -> float:
        """Seconds the name stays locked (0 when it may try)."""
        now = now or time.monotonic()
        with self._lock:
            recent = self._failed.get(name)
            if recent is None or len(recent) < self.failures:
                return 0.0
            left = recent[-1] + self.lock_s - now
            if left <= 0:
                del self._failed[name]
                return 0.0
            return left

    def failed(self, name: str, now: float | None = None) -> None:
        with self._lock:
            if name not in self._failed and len(self._failed) >= MAX_TRACKED:
                del self._failed[next(iter(self._failed))]
            self._failed.setdefault(name, deque(maxlen=self.failures)).append(now or time.monotonic())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failed.pop(name, None)


class AddressThrottle:
    """Refuses logins from an address with ``failures`` failed logins in the last ``window_s`` seconds
    (a sliding window; a success does not reset it, so a valid account cannot launder a spray)."""

    def __init__(self, failures: int, window_s: float) -> None:
        self.failures, self.window_s = failures, window_s
        self._lock = threading.Lock()
        self._failed: dict[str, deque[float]] = {}

    def blocked_for(self, address: str, now: float | None = None) -> float:
        """Seconds until the address may try again (0 when it may)."""
        now = now or time.monotonic()
        with self._lock:
            recent = self._failed.get(address)
            if recent is None:
                return 0.0
            while recent and recent[0] <= now - self.window_s:
                recent.popleft()
            if not recent:
                del self._failed[address]
                return 0.0
            return recent[0] + self.window_s - now if len(recent) >= self.failures else 0.0

    def failed(self, address: str, now: float | None = None) -> None:
        with self._lock:
            if address not in self._failed and len(self._failed) >= MAX_TRACKED:
                del self._failed[next(iter(self._failed))]
            self._failed.setdefault(address, deque(maxlen=self.failures)).append(now or time.monotonic())
