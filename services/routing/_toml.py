"""Reading a config TOML file with enough position information to say where a problem is.

``tomllib`` gives no positions, so :func:`key_lines` scans the text: for each ``[[array]]`` entry
and ``[table]`` it records the line of its header and of each ``key =`` inside it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError

__all__ = ["ConfigFile", "Problems", "read_config"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"\.]+)\s*=")
_TOML_LINE = re.compile(r"line (\d+)")


@dataclass
class ConfigFile:
    path: str
    text: str
    data: dict[str, Any]
    digest: str
    arrays: dict[str, list[dict[str, int]]] = field(default_factory=dict)  # name -> per entry: key -> line
    tables: dict[str, dict[str, int]] = field(default_factory=dict)  # "teams.east" -> key -> line

    def line_of(self, array: str, index: int, key: str | None = None) -> int:
        entries = self.arrays.get(array, [])
        if index >= len(entries):
            return 0
        return (
            entries[index].get(key or "", entries[index]["[header]"]) if key else entries[index]["[header]"]
        )

    def table_line(self, table: str, key: str | None = None) -> int:
        lines = self.tables.get(table, {})
        return lines.get(key or "[header]", lines.get("[header]", 0))


class Problems:
    """Collects every problem of a file, then raises one ConfigError listing them all."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigError("\n".join(self.items))


def _positions(text: str) -> tuple[dict[str, list[dict[str, int]]], dict[str, dict[str, int]]]:
    arrays: dict[str, list[dict[str, int]]] = {}
    tables: dict[str, dict[str, int]] = {"": {"[header]": 1}}
    current = tables[""]
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2)
            current = {"[header]": number}
            if header.group(1) == "[[":
                arrays.setdefault(name, []).append(current)
            else:
                tables[name] = current
            continue
        key = _KEY.match(line)
        if key:
            current.setdefault(key.group(1).strip('"').split(".")[0], number)
    return arrays, tables


def read_config(path: Path) -> ConfigFile:
    """The parsed file; a missing file or bad TOML is a ConfigError naming the file and line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text = raw.decode("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise ConfigError(f"{path}:{found.group(1) if found else 0}: invalid TOML: {exc}") from None
    arrays, tables = _positions(text)
    return ConfigFile(str(path), text, data, hashlib.sha256(raw).hexdigest(), arrays, tables)
