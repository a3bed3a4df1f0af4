"""Kingdee ``ResponseStatus`` -> our error types. MsgCode 1 (session lost) and 11 (validation, e.g. a
missing required field or a taken number) are seen in the vendor's replies (tests/fixtures/kingdee/sdk);
the other meanings come from API-NOTES.md and are unsourced.

Every reply is HTTP 200; failures say ``IsSuccess: false`` with ``Errors`` and a ``MsgCode``.
``MsgCode`` 1 means the session (context) is lost: log in again and replay once (``auth.py``).
"""

from __future__ import annotations

from typing import Any

from connectors.errors import ConnectorError, ErrorKind, VendorCode, VendorCodes

__all__ = ["KINGDEE_CODES", "SESSION_LOST", "is_duplicate_number", "response_status", "status_error"]

R, A, F = ErrorKind.RETRY, ErrorKind.REFRESH, ErrorKind.FATAL
SESSION_LOST = 1

KINGDEE_CODES = VendorCodes(
    "kingdee",
    {
        1: VendorCode(A, "session lost or expired (上下文丢失)"),
        2: VendorCode(F, "no permission"),
        4: VendorCode(F, "server exception"),
        6: VendorCode(R, "database operation failed"),
        7: VendorCode(F, "licence error"),
        8: VendorCode(F, "bad parameters"),
        9: VendorCode(F, "field or value does not exist"),
        10: VendorCode(F, "no such data"),
        11: VendorCode(F, "validation failed"),
        12: VendorCode(F, "operation not allowed"),
        13: VendorCode(R, "network control conflict (网控冲突): another user holds the record", 2.0),
        14: VendorCode(R, "call limit reached", 5.0),
    },
)
_DUPLICATE_MARKERS = ("唯一", "已经存在", "已存在", "already exists", "duplicate")


def response_status(body: Any) -> dict[str, Any] | None:
    """The ``ResponseStatus`` object of a reply: a Save-style object or a query's one-row error array."""
    if isinstance(body, list):
        first = body[0] if body else None
        if isinstance(first, list) and first:
            first = first[0]
        body = first
    if not isinstance(body, dict):
        return None
    result = body.get("Result", body)
    status = result.get("ResponseStatus") if isinstance(result, dict) else None
    return status if isinstance(status, dict) else None


def _messages(status: dict[str, Any]) -> str:
    errors = status.get("Errors") or []
    parts = [
        f"{e.get('FieldName') or '-'}: {e.get('Message')}" if e.get("FieldName") else str(e.get("Message"))
        for e in errors
        if isinstance(e, dict)
    ]
    return "; ".join(parts) or "no error message"


def is_duplicate_number(status: dict[str, Any]) -> bool:
    """True when the ERP refused a Save because the number (bill or customer) is taken."""
    text = _messages(status)
    return any(marker in text for marker in _DUPLICATE_MARKERS)


def status_error(status: dict[str, Any]) -> ConnectorError | None:
    """None for success, else the error to raise (the code table decides what kind)."""
    if status.get("IsSuccess", False):
        return None
    code = status.get("MsgCode") or 0
    code = int(code) if str(code).lstrip("-").isdigit() else 0
    return KINGDEE_CODES.error(code, _messages(status))
