"""Paths into vendor payloads, as written in field maps.

``remark_dict.公司名称``      dotted keys; keys may be Chinese
``formDetail[name=预算].value`` from a list of objects, the first whose ``name`` is 预算
``items[0].id``               a list element by position

Dict keys also match after width folding and trimming (vendors send "公司名称 " and "公司名称："),
and a value that is a JSON object or list in a string is decoded on the way down.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from core.errors import ConfigError
from mapping._text import fold

__all__ = ["PayloadPath", "parse_path"]

_SEGMENT = re.compile(r"^([^\[\]]*)((?:\[[^\[\]]*\])*)$")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class _Step:
    key: str | None = None
    index: int | None = None
    match: tuple[str, str] | None = None


@lru_cache(maxsize=8192)  # keys repeat from payload to payload; folding them is not free
def _loose(key: str) -> str:
    return fold(key).strip().rstrip(":").strip().casefold()


@dataclass(frozen=True)
class PayloadPath:
    text: str
    steps: tuple[_Step, ...]

    def resolve(self, payload: Any) -> Any:
        """The value at this path, or None where any step is missing or of the wrong type."""
        value = payload
        for step in self.steps:
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    value = json.loads(value)
                except ValueError:
                    return None
            if step.key is not None:
                if not isinstance(value, dict):
                    return None
                value = _get(value, step.key)
            elif step.index is not None:
                if not isinstance(value, list) or not -len(value) <= step.index < len(value):
                    return None
                value = value[step.index]
            elif step.match is not None:
                if not isinstance(value, list):
                    return None
                field, wanted = step.match
                value = next(
                    (
                        item
                        for item in value
                        if isinstance(item, dict) and _loose(str(_get(item, field) or "")) == _loose(wanted)
                    ),
                    None,
                )
            if value is None:
                return None
        return value


def _get(mapping: dict[str, Any], key: str) -> Any:
    if key in mapping:
        return mapping[key]
    wanted = _loose(key)
    return next((v for k, v in mapping.items() if isinstance(k, str) and _loose(k) == wanted), None)


def parse_path(text: str) -> PayloadPath:
    """Parse a field-map path; :class:`ConfigError` if it is malformed."""
    if not text.strip():
        raise ConfigError("empty payload path")
    steps: list[_Step] = []
    for segment in text.split("."):
        match = _SEGMENT.match(segment)
        if match is None or (not match.group(1) and not match.group(2)):
            raise ConfigError(f"bad payload path {text!r}: cannot read segment {segment!r}")
        if match.group(1):
            steps.append(_Step(key=match.group(1)))
        for inner in _BRACKET.findall(match.group(2)):
            if inner.lstrip("-").isdigit():
                steps.append(_Step(index=int(inner)))
            elif "=" in inner:
                field, _, wanted = inner.partition("=")
                steps.append(_Step(match=(field.strip(), wanted.strip())))
            else:
                raise ConfigError(f"bad payload path {text!r}: [{inner}] is neither [N] nor [field=value]")
    return PayloadPath(text, tuple(steps))
