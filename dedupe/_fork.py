"""Two halves of a job on two cores: a forked child does one half and sends it back pickled.

The batch run forks twice (normalising, then deciding pairs) and both need the same care: fork only a
single-threaded process with a core idle (:func:`can_fork`), let the child leave with ``os._exit`` so
nothing of the parent runs twice, and do the child's half here if it fails or sends nothing.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["can_fork", "in_two_processes"]

A = TypeVar("A")


def can_fork() -> bool:
    """Fork only a single-threaded process (a thread holding a lock would leave it held in the child),
    and only while a core is idle: with every core busy (load average of the last minute, this
    process included, above ``cores - 0.5``) the two halves take turns and the fork only costs."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    cores = os.cpu_count() or 1
    return cores >= 2 and os.getloadavg()[0] <= cores - 0.5


def in_two_processes(here: Callable[[], A], there: Callable[[], Any]) -> tuple[A, Any]:
    """``(here(), there())`` with ``there`` run in a forked child at the same time. What ``there``
    returns must pickle; it comes back as the child made it (or from this process, if the child failed)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its half, sent back, then leave at once
        status = 1
        try:
            os.close(read_fd)
            sent = there()
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump(sent, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    mine = here()
    received: Any = None
    failed = False
    try:
        with os.fdopen(read_fd, "rb") as source:
            received = pickle.load(source)
    except (EOFError, pickle.UnpicklingError):
        failed = True
    _, status = os.waitpid(pid, 0)
    if failed or status != 0:
        return mine, there()
    return mine, received
