"""Channel and campaign cleanup: vendor labels and UTM values to something a report can group by."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote_plus

from mapping._data import load_packaged_toml
from mapping._text import collapse_spaces, fold

__all__ = ["clean_campaign", "clean_channel"]

# Values that tracking templates leave behind when nothing was substituted.
_PLACEHOLDER = re.compile(
    r"^(\{\{.*\}\}|\{.*\}|__\w+__|\$\{.*\}|%\w+%|\(not set\)|\(none\)|null|none|undefined|nan|n/a|-+)$",
    re.IGNORECASE,
)
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


@lru_cache(maxsize=1)
def _channel_aliases() -> dict[str, str]:
    data = load_packaged_toml("data", "channels.toml")
    return {
        fold(alias).casefold().strip(): key for key, aliases in data["channels"].items() for alias in aliases
    }


def _clean(text: str, limit: int) -> str | None:
    value = fold(text)
    if _PERCENT_ESCAPE.search(value):
        value = unquote_plus(value)  # utm_campaign=%E5%8F%8C11 -> 双11
    value = collapse_spaces(value)
    if not value or _PLACEHOLDER.match(value):
        return None
    return value[:limit]


def clean_channel(text: str) -> str | None:
    """A known alias (抖音, douyin, DY...) becomes its key (douyin); other text is kept, tidied."""
    value = _clean(text, 60)
    if value is None:
        return None
    return _channel_aliases().get(value.casefold(), value)


def clean_campaign(text: str) -> str | None:
    """Campaign names are kept as written, less placeholders, URL escapes and extra spaces."""
    return _clean(text, 100)
