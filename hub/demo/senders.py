"""Notification senders pointed at a running sandbox: the demo's robots, used by tests and benches too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from connectors.sandbox.notify_settings import sandbox_notify_settings
from services.notify import Senders, default_senders

__all__ = ["sandbox_senders"]


def sandbox_senders(base_url: str, robots: Iterable[str], **overrides: Any) -> Senders:
    """Senders pointed at a running sandbox, with a robot for each name (demo, tests, bench)."""
    return default_senders(*sandbox_notify_settings(base_url, robots, **overrides))
