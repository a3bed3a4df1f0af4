"""Small state files (the console's users, the API tokens, the revoked sessions): an exclusive lock
between processes around a read-modify-write (every worker of ``synchub serve-api --workers N`` and
the CLI may write), and a cached reader that re-reads the file when it changes."""

from __future__ import annotations

import fcntl
import os
import secrets
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["CachedStateFile", "locked"]

T = TypeVar("T")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``flock`` on ``.NAME.lock`` beside ``path`` (created 0600) while the block runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class CachedStateFile(ABC, Generic[T]):
    """A file of entries keyed by name, parsed once and re-read when its modification time or size
    changes; written whole, atomically, mode 0600. Subclasses parse and format the entries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._entries: dict[str, T] = {}

    @abstractmethod
    def _parse(self) -> dict[str, T]: ...

    def _load(self) -> dict[str, T]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._seen, self._entries = None, {}
            return self._entries
        key = (stat.st_mtime_ns, stat.st_size)
        if key != self._seen:
            self._entries, self._seen = self._parse(), key
        return self._entries

    def _write(self, lines: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        os.replace(tmp, self.path)
        self._seen = None
