"""Sessions ended at logout: a revocation list of session ids, kept until the cookies they name expire.

Session cookies are signed and carry no server state, so logout alone cannot take a copied cookie
back. Each logout adds the session id's digest here, in memory and in a small JSON file
(``SYNCHUB_WEB_REVOKED_SESSIONS_FILE``, mode 0600, written under a file lock), which every process
re-reads when it changes: all workers of ``serve-api --workers N`` refuse the cookie, and so does the
console after a restart. An entry is dropped once its session would have expired anyway, so the file
holds at most the logouts of the last ``SYNCHUB_WEB_SESSION_HOURS``.

Not in the store: the console runs without a migration of its own, and a file beside the users file
shares its lifecycle (backups, permissions). If the file cannot be written, the logout still holds in
this process and the failure is logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
import time
from pathlib import Path

from hub.web.filelock import locked

__all__ = ["RevokedSessions"]

log = logging.getLogger("synchub.web")


def _key(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()[:32]


class RevokedSessions:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._from_file: dict[str, float] = {}
        self._local: dict[str, float] = {}  # kept even when the file cannot be written

    def _read_file(self) -> dict[str, float]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        except FileNotFoundError:
            return {}
        except (ValueError, TypeError, OSError) as exc:
            log.error("revoked sessions file %s unreadable: %s", self.path, exc)
            return {}

    def _refresh(self) -> None:
        try:
            stat = self.path.stat()
            key: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None
        if key != self._seen:
            self._from_file, self._seen = self._read_file(), key

    def is_revoked(self, sid: str, now: float | None = None) -> bool:
        key, now = _key(sid), now or time.time()
        with self._lock:
            self._refresh()
            until = self._local.get(key) or self._from_file.get(key)
        return until is not None and until > now

    def revoke(self, sid: str, until: float, now: float | None = None) -> None:
        """Refuse ``sid`` until ``until`` (epoch seconds: when its cookie expires anyway)."""
        key, now = _key(sid), now or time.time()
        with self._lock:
            self._local = {k: t for k, t in self._local.items() if t > now}
            self._local[key] = until
            try:
                self._persist(key, until, now)
            except OSError as exc:
                log.error(
                    "revoked sessions file %s not written (logout holds in this process): %s", self.path, exc
                )

    def _persist(self, key: str, until: float, now: float) -> None:
        with locked(self.path):
            entries = {k: t for k, t in self._read_file().items() if t > now}
            entries[key] = until
            tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entries, handle)
            os.replace(tmp, self.path)
        self._seen = None
