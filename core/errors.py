"""Every error SyncHub raises on purpose, by what the caller should do next.

SyncHubError
├── ConfigError            a setting or file is wrong: fix it, nothing to retry
├── InputError             bad input from a user or sender: say why, quarantine or reject
│   └── MappingError       a payload cannot become a canonical record: quarantine it with this reason
├── AuditError
│   ├── AuditBypassError   a write tried to skip the ledger: a bug, never retried
│   └── LedgerKeyError     no usable signing key for checkpoints
└── NotFoundError          the named record does not exist

Connector errors (retriable, auth, fatal, skippable record) live in ``connectors/errors.py`` and
derive from :class:`SyncHubError` too. The CLI prints any ``SyncHubError`` as one line, never a trace.
"""

from __future__ import annotations

__all__ = [
    "AuditBypassError",
    "AuditError",
    "ConfigError",
    "InputError",
    "LedgerKeyError",
    "MappingError",
    "NotFoundError",
    "SyncHubError",
    "UnstorableRecordError",
]


class SyncHubError(Exception):
    """Base of every error SyncHub raises deliberately."""


class ConfigError(SyncHubError):
    pass


class InputError(SyncHubError):
    pass


class MappingError(InputError):
    """Raised by ``mapping/``; the message is the quarantine reason, so make it say what is wrong."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnstorableRecordError(InputError):
    """An authentic record the store refuses for its content (it would fail on every retry)."""


class NotFoundError(SyncHubError):
    pass


class AuditError(SyncHubError):
    pass


class AuditBypassError(AuditError):
    pass


class LedgerKeyError(AuditError):
    pass
