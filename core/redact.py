"""Masking of personal data for anything a person or a log will read (PIPL): phones keep their first
three and last four digits, names their first character, e-mails their first character and domain,
resident ID numbers their region and last four characters.

:func:`find_personal` is the one scanner of free text for personal values (mobiles, landlines in
E.164 or with their area code, e-mail addresses, 18-character PRC resident ID numbers): the ledger
uses it to keep such values out of the chain, erasure to find them again, masking to hide them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "PersonalMatch",
    "find_personal",
    "looks_like_phone",
    "mask_email",
    "mask_name",
    "mask_phone",
    "mask_text",
    "phone_key",
]

_PHONE_IN_TEXT = re.compile(r"(?<!\d)(\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_EDGE_BEFORE = r"(?<![0-9A-Za-z+._%-])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"
_PERSONAL = re.compile(
    rf"(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}})"
    rf"|{_EDGE_BEFORE}(?P<id>[1-9]\d{{5}}(?:18|19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    rf"\d{{3}}[\dXx]){_EDGE_AFTER}"
    rf"|{_EDGE_BEFORE}(?P<mobile>(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{{4}}[- ]?\d{{4}}){_EDGE_AFTER}"
    rf"|{_EDGE_BEFORE}(?P<e164>(?:\+|00)86[- ]?[1-9]\d{{1,2}}[- ]?\d{{3,4}}[- ]?\d{{4}}){_EDGE_AFTER}"
    rf"|{_EDGE_BEFORE}(?P<landline>\(?0[1-9]\d{{1,2}}\)?[- ]?\d{{3,4}}[- ]?\d{{4}}"
    rf"(?:[-#转]\d{{1,6}})?){_EDGE_AFTER}"
)
_MIN_LENGTH = 6  # nothing shorter can hold a phone, an e-mail address or an ID number
_DIGITS = re.compile(r"\d\d\d")  # every number above has three digits in a row somewhere
_HEX_DIGEST = re.compile(r"[0-9a-f]{32,}")


@dataclass(frozen=True)
class PersonalMatch:
    kind: str  # email | id | mobile | e164 | landline
    start: int
    end: int
    text: str


def _may_hold_personal(text: str) -> bool:
    """A cheap test first (this runs on every text the ledger records): an e-mail address needs an
    ``@``, the numbers three digits in a row, and a hex digest holds neither; most texts fail it."""
    if len(text) < _MIN_LENGTH:
        return False
    if "@" in text:
        return True
    return _DIGITS.search(text) is not None and _HEX_DIGEST.fullmatch(text) is None


def find_personal(text: str) -> list[PersonalMatch]:
    """Phones, e-mail addresses and resident ID numbers inside ``text``, in order."""
    if not _may_hold_personal(text):
        return []
    return [PersonalMatch(str(m.lastgroup), m.start(), m.end(), m.group()) for m in _PERSONAL.finditer(text)]


def looks_like_phone(text: str) -> bool:
    """True when ``text`` is a phone number and nothing else (a customer "named" ``+8657188889392``)."""
    found = find_personal(text.strip())
    return (
        len(found) == 1
        and found[0].kind != "email"
        and found[0].kind != "id"
        and (found[0].end - found[0].start == len(text.strip()))
    )


def phone_key(text: str) -> str:
    """The digits that identify a phone whatever its spelling: no +86 / 0086 prefix, no separators."""
    digits = re.sub(r"\D", "", text)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 9:
            return digits[len(prefix) :]
    return digits[1:] if digits.startswith("0") else digits


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) <= 11 else f"+{digits[:5]}****{digits[-4:]}"


def mask_name(name: str) -> str:
    name = name.strip()
    if looks_like_phone(name):
        return mask_phone(name)
    return name[:1] + "*" * max(len(name) - 1, 1) if name else name


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_name(email)


def _mask_match(match: re.Match[str]) -> str:
    kind, value = match.lastgroup, match.group()
    if kind == "email":
        return mask_email(value)
    if kind == "id":
        return f"{value[:6]}********{value[-4:]}"
    if kind == "e164":
        return mask_phone(value)
    return value  # mobiles below; domestic landlines: connectors.redaction keeps their area code


def mask_text(text: str) -> str:
    """Mask every mobile number, +86 phone, e-mail address and resident ID number inside free text."""
    if _may_hold_personal(text):
        text = _PERSONAL.sub(_mask_match, text)
    return _PHONE_IN_TEXT.sub(lambda m: f"{m.group(2)}****{m.group(4)}", text)
