"""What an authentic JSON body may hold before it goes near the store.

A signed body is authentic, not harmless: ``NaN``, ``Infinity`` and ``1e999`` are not JSON numbers a
database or the ledger can keep, a NUL character or a lone surrogate cannot be stored as text on
PostgreSQL (nor encoded as UTF-8), and a 30,000-deep nesting exhausts the parser's stack. Each is
refused here, for that one submission, with the place it was found, so it never fails the other
submissions landed in the same transaction.
"""

from __future__ import annotations

import json
import math
from typing import Any

from connectors.webform.signature import WebhookRejected

__all__ = ["MAX_DEPTH", "MAX_ID_CHARS", "parse_strict_json"]

MAX_DEPTH = 32
MAX_ID_CHARS = 200  # raw_records.external_id and leads.external_id are String(200)


def _no_constant(name: str) -> Any:
    raise WebhookRejected(400, f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise WebhookRejected(400, f"number {text[:20]} is out of range")
    return value


def _check(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise WebhookRejected(400, f"nested deeper than {MAX_DEPTH} levels at {where}")
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"{where}.{key[:40]}")
            _check(item, f"{where}.{key[:40]}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]", depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        raise WebhookRejected(422, f"integer at {where} is out of range")


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise WebhookRejected(400, f"text at {where} holds a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise WebhookRejected(400, f"text at {where} is not valid Unicode (a lone surrogate)") from None


def parse_strict_json(body: bytes, id_field: str | None = None) -> dict[str, Any]:
    """The body as a JSON object, or :class:`WebhookRejected` (400) naming what is wrong and where."""
    try:
        payload = json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookRejected(400, f"malformed JSON: {exc}") from None
    except RecursionError:
        raise WebhookRejected(400, f"nested deeper than {MAX_DEPTH} levels") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, f"the body must be a JSON object, not {type(payload).__name__}")
    _check(payload, "$", 0)
    if id_field is not None and len(str(payload.get(id_field) or "")) > MAX_ID_CHARS:
        raise WebhookRejected(422, f"{id_field} is longer than {MAX_ID_CHARS} characters")
    return payload
