"""Redaction of secrets and personal data wherever a URL, header, body or message can escape.

Secrets (tokens, keys, signatures) become ``***``; mobile numbers keep their first three and last
four digits (``core.redact.mask_text``), landlines keep their area code and last four digits. Values
known to be secret (credentials from settings, tokens issued at run time) are registered with
:func:`register_secret` and scrubbed from any text, wherever they appear.

:class:`RedactingFilter` applies this to every record of the ``synchub`` and ``httpx`` loggers: use
:func:`get_logger` for module loggers (a logger's filter does not see its children's records) and
:func:`install_log_redaction` once for the third-party loggers (``make_client`` calls it).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from core.redact import mask_text

__all__ = [
    "MASK",
    "RedactingFilter",
    "get_logger",
    "install_log_redaction",
    "redact",
    "redact_body",
    "redact_headers",
    "redact_text",
    "redact_url",
    "register_secret",
]

MASK = "***"
SECRET_NAMES = frozenset(
    {
        "access_token", "accesstoken", "token", "refresh_token", "refreshtoken", "key", "secret",
        "app_secret", "client_secret", "secretkey", "secret_key", "sig", "sign", "signature",
        "password", "passwd", "authorization", "cookie", "set-cookie", "access-token", "x-api-signature",
        "x-kd-signature", "proxy-authorization",
    }
)  # fmt: skip
_SECRET_PART = re.compile(r"(token|secret|passw|signature|cookie|authorization)", re.IGNORECASE)
_NAMES_RE = "|".join(sorted((re.escape(n) for n in SECRET_NAMES), key=len, reverse=True))
# key=value in URLs and form bodies, "key": "value" in JSON, "Key: value" header lines, Bearer tokens.
_QUERY_PAIR = re.compile(rf"(?i)(?<![\w-])({_NAMES_RE})=([^&\s\"'#]+)")
_JSON_PAIR = re.compile(rf"(?i)(\"(?:{_NAMES_RE})\"\s*:\s*)\"[^\"]*\"")
_HEADER_LINE = re.compile(rf"(?im)^(\s*(?:{_NAMES_RE})\s*:\s*)\S.*$")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_LANDLINE = re.compile(r"(?<!\d)(\(?0\d{2,3}\)?[- ]?)(\d{3,4})[- ]?(\d{4})(?!\d)")

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a secret value (at least 6 characters) so it is scrubbed from any logged text."""
    if value and len(value) >= 6:
        with _secrets_lock:
            _secrets.add(value)


def is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_NAMES or bool(_SECRET_PART.search(lowered))


def _scrub_known(text: str) -> str:
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    return text


def _mask_landline(match: re.Match[str]) -> str:
    return f"{match.group(1)}****{match.group(3)}"


def redact_text(text: str) -> str:
    """Mask secrets and phone numbers anywhere in free text (log messages, error messages)."""
    text = _scrub_known(text)
    text = _QUERY_PAIR.sub(lambda m: f"{m.group(1)}={MASK}", text)
    text = _JSON_PAIR.sub(lambda m: f'{m.group(1)}"{MASK}"', text)
    text = _HEADER_LINE.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = mask_text(text)
    return _LANDLINE.sub(_mask_landline, text)


def redact_url(url: object) -> str:
    """A URL (str or ``httpx.URL``) with secret query values and any password replaced."""
    parts = urlsplit(str(url))
    query = urlencode(
        [(k, MASK if is_secret_name(k) else mask_text(v)) for k, v in parse_qsl(parts.query, True)],
        safe="*",
    )
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        netloc = f"{userinfo.partition(':')[0]}:{MASK}@{host}"
    return _scrub_known(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers as a plain dict with secret values replaced (Access-Token, Authorization, Cookie...)."""
    items = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    return {str(k): (MASK if is_secret_name(str(k)) else redact_text(str(v))) for k, v in items}


def redact(value: Any) -> Any:
    """A deep copy of a JSON-like value with secret keys masked and phones masked in strings."""
    if isinstance(value, Mapping):
        return {k: (MASK if is_secret_name(str(k)) else redact(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_body(body: bytes | str | Any, limit: int = 2000) -> str:
    """A request or response body as redacted text, cut to ``limit`` characters."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str):
        try:
            text = json.dumps(redact(json.loads(body)), ensure_ascii=False)
        except ValueError:
            text = redact_text(body)
    else:
        text = json.dumps(redact(body), ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


class RedactingFilter(logging.Filter):
    """Formats the record's message once, redacted, so no handler can see the raw arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_synchub_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        setattr(record, "_synchub_redacted", True)  # noqa: B010
        return True


_FILTER = RedactingFilter()
THIRD_PARTY_LOGGERS = ("synchub", "httpx", "httpcore", "httpcore.connection", "httpcore.http11", "tenacity")


def get_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with the redacting filter attached (idempotent)."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


_HIERARCHIES = frozenset({"synchub", "httpx", "httpcore", "tenacity"})
_installed = threading.Event()


def install_log_redaction() -> None:
    """Redact every record of the ``synchub``, ``httpx`` and ``httpcore`` logger trees.

    Attaches the filter to those loggers, and wraps the log-record factory so that records of any
    descendant logger (``synchub.services.x`` made with plain ``logging.getLogger``) are redacted too: a
    logger's filter alone never sees its children's records. Idempotent.
    """
    for name in THIRD_PARTY_LOGGERS:
        get_logger(name)
    with _secrets_lock:
        if _installed.is_set():
            return
        _installed.set()
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.partition(".")[0] in _HIERARCHIES:
            _FILTER.filter(record)
        return record

    logging.setLogRecordFactory(factory)
