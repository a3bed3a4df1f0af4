"""E-mail addresses: folded to half width, lower-cased, shape-checked; the domain is returned too."""

from __future__ import annotations

import re
from typing import NamedTuple

from core.errors import MappingError
from mapping._text import fold

__all__ = ["EmailAddress", "normalise_email"]

# Deliberately a shape check, not RFC 5322: what a sales rep can send a message to.
_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
_SHAPE = re.compile(rf"({_LOCAL})@({_DOMAIN})")
_COMMON_SLIPS = str.maketrans({"。": ".", "，": ".", ",": ".", "＠": "@"})


class EmailAddress(NamedTuple):
    address: str
    domain: str


def normalise_email(text: str) -> EmailAddress:
    """``" Wang.Wei＠ZhiLian.COM "`` -> ``wang.wei@zhilian.com``; :class:`MappingError` if malformed."""
    cleaned = fold(text.translate(_COMMON_SLIPS)).strip().lower()
    cleaned = cleaned.removeprefix("mailto:").strip("<>\"' ")
    if not cleaned:
        raise MappingError("email is empty", field="email")
    if " " in cleaned:
        raise MappingError("email contains spaces", field="email")
    if cleaned.count("@") != 1:
        raise MappingError(f"email must contain exactly one '@' (found {cleaned.count('@')})", field="email")
    match = _SHAPE.fullmatch(cleaned)
    if match is None or len(cleaned) > 200:
        local, _, domain = cleaned.partition("@")
        what = "the part before '@'" if not re.fullmatch(_LOCAL, local) else f"the domain '{domain}'"
        raise MappingError(f"email is not a valid address: {what} is malformed", field="email")
    return EmailAddress(cleaned, match.group(2))
