"""Logging for one ``synchub`` run: ``--log-level`` and ``--log-format text|json`` on the app.

One handler on the root logger writes to stderr (stdout is for results and ``--json``). Text lines read
``TIME LEVEL LOGGER: MESSAGE``; JSON lines are one object each with ``time`` (ISO-8601 UTC), ``level``,
``logger`` and ``message`` (python-json-logger), plus ``exc_info`` and any ``extra`` fields. The
redacting filter of :mod:`connectors.redaction` sits on the handler, so a record from any logger is
masked before it is formatted, whatever the format.

Without ``--log-level`` the root logger keeps its level (WARNING by Python's default); a command that
wants more (``synchub web`` logs each request at INFO) raises it with :func:`default_level`, which an
explicit ``--log-level`` overrides.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from connectors.redaction import RedactingFilter, install_log_redaction

__all__ = ["LogFormat", "LogLevel", "configure_logging", "default_level", "reset_logging"]


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


def _utc_time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class _TextFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc_time(record)


class _JsonLineFormatter(JsonFormatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc_time(record)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes (a test runner swaps it per run)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:  # StreamHandler.__init__ assigns one; stderr it is
        pass


_handler: logging.Handler | None = None
_explicit = False
_root_level: int | None = None


def _formatter(fmt: LogFormat) -> logging.Formatter:
    if fmt is LogFormat.json:
        return _JsonLineFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    return _TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def configure_logging(level: LogLevel | None = None, fmt: LogFormat = LogFormat.text) -> None:
    """Install the run's handler on the root logger (replacing one installed before)."""
    global _handler, _explicit, _root_level
    reset_logging()
    install_log_redaction()
    root = logging.getLogger()
    handler = _StderrHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(_formatter(fmt))
    root.addHandler(handler)
    _handler, _explicit, _root_level = handler, level is not None, root.level
    if level is not None:
        root.setLevel(level.value)


def default_level(level: LogLevel) -> None:
    """Log at ``level`` in this run unless ``--log-level`` said otherwise."""
    if not _explicit:
        logging.getLogger().setLevel(level.value)


def reset_logging() -> None:
    """Take the run's handler off again and restore the root level (when the command ends)."""
    global _handler, _explicit, _root_level
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    if _root_level is not None:
        root.setLevel(_root_level)
    _handler, _explicit, _root_level = None, False, None
