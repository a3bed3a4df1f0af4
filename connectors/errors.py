"""Every error a connector raises on purpose, by what the caller should do next.

SyncHubError                          (core.errors)
└── ConnectorError                    something went wrong talking to an outside system
    ├── RetriableError                try again later: HTTP 429, 5xx, timeouts, vendor rate-limit codes;
    │                                 ``retry_after`` holds the seconds the vendor asked for, if it said
    ├── AuthExpiredError              the access token expired: refresh once and replay the request once
    ├── FatalError                    do not retry: other 4xx, invalid credentials, no permission
    │   ├── ReauthorizeError          the refresh token is expired or revoked: a person must authorise
    │   │                             the app again in the vendor's console
    │   └── PaginationError           the vendor repeated a page or token, or the page limit was hit
    └── SkippableRecordError          one record is unusable: quarantine it and carry on

The retry layer (``connectors.retry``) retries :class:`RetriableError` only; the auth layer
(``connectors.auth``) handles :class:`AuthExpiredError`; everything else surfaces to the flow.
Each vendor maps its own error codes into this tree with one table (``VendorCodes``) kept in its
folder, so a wrong guess about a code is a one-line fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from core.errors import SyncHubError

__all__ = [
    "AuthExpiredError",
    "ConnectorError",
    "ErrorKind",
    "FatalError",
    "PaginationError",
    "ReauthorizeError",
    "RetriableError",
    "SkippableRecordError",
    "VendorCode",
    "VendorCodes",
    "error_for_status",
]


class ConnectorError(SyncHubError):
    """Base of the connector errors; ``code`` is the vendor's or the HTTP status, when known."""

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        code: int | str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.connector = connector
        self.code = code
        self.status = status


class RetriableError(ConnectorError):
    """Try again later; ``retry_after`` is the vendor's hint in seconds (None: use the backoff)."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        connector: str | None = None,
        code: int | str | None = None,
        status: int | None = None,
        attempts: int | None = None,
    ) -> None:
        super().__init__(message, connector=connector, code=code, status=status)
        self.retry_after = retry_after
        self.attempts = attempts


class AuthExpiredError(ConnectorError):
    """The access token is no longer accepted; the auth layer refreshes once and replays once."""


class FatalError(ConnectorError):
    """Retrying cannot help: fix credentials, permissions or the request."""


class ReauthorizeError(FatalError):
    """The refresh token itself is expired or revoked; only a new authorisation can fix it."""


class PaginationError(FatalError):
    """The vendor sent a page or token already seen, or more pages than the configured limit."""


class SkippableRecordError(ConnectorError):
    """One record cannot be used; the rest of the page is fine."""

    def __init__(self, message: str, *, record_id: str | None = None, connector: str | None = None) -> None:
        super().__init__(message, connector=connector)
        self.record_id = record_id


class ErrorKind(Enum):
    """What to do next, the value a vendor's code table maps each code to."""

    RETRY = "retry"
    REFRESH = "refresh"
    FATAL = "fatal"
    REAUTHORIZE = "reauthorize"
    SKIP = "skip"


@dataclass(frozen=True)
class VendorCode:
    kind: ErrorKind
    meaning: str
    retry_after: float | None = None  # a default wait for rate-limit codes that carry no header


_CLASSES: dict[ErrorKind, type[ConnectorError]] = {
    ErrorKind.RETRY: RetriableError,
    ErrorKind.REFRESH: AuthExpiredError,
    ErrorKind.FATAL: FatalError,
    ErrorKind.REAUTHORIZE: ReauthorizeError,
    ErrorKind.SKIP: SkippableRecordError,
}


@dataclass(frozen=True)
class VendorCodes:
    """A vendor's code table: ``codes[code] -> VendorCode``; unknown non-zero codes use ``default``."""

    connector: str
    codes: Mapping[int | str, VendorCode]
    default: ErrorKind = ErrorKind.FATAL

    def kind_of(self, code: int | str) -> ErrorKind:
        entry = self.codes.get(code)
        return entry.kind if entry else self.default

    def error(self, code: int | str, message: str = "") -> ConnectorError:
        """The error to raise for ``code``; the message says the code, its meaning and what to do."""
        entry = self.codes.get(code)
        kind = entry.kind if entry else self.default
        meaning = entry.meaning if entry else "unknown code"
        text = f"{self.connector}: vendor code {code} ({meaning})"
        if message:
            text += f": {message}"
        if kind is ErrorKind.REAUTHORIZE:
            text += "; the refresh token no longer works: re-authorise the app in the vendor console"
        if kind is ErrorKind.RETRY:
            return RetriableError(
                text, retry_after=entry.retry_after if entry else None, connector=self.connector, code=code
            )
        if kind is ErrorKind.SKIP:
            return SkippableRecordError(text, connector=self.connector)
        return _CLASSES[kind](text, connector=self.connector, code=code)


def error_for_status(
    status: int, *, connector: str, retry_after: float | None = None, detail: str = ""
) -> ConnectorError | None:
    """Classify an HTTP status: None for 2xx/3xx, else the error the caller should raise."""
    if status < 400:
        return None
    text = f"{connector}: HTTP {status}" + (f": {detail}" if detail else "")
    if status == 429 or status >= 500 or status == 408:
        return RetriableError(text, retry_after=retry_after, connector=connector, status=status)
    if status == 401:
        return AuthExpiredError(text, connector=connector, status=status)
    return FatalError(text, connector=connector, status=status)
