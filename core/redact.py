"""Masking of personal data for anything a person or a log will read (PIPL): phones keep their first
three and last four digits, names their first character, e-mails their first character and domain."""

from __future__ import annotations

import re

__all__ = ["mask_email", "mask_name", "mask_phone", "mask_text"]

_PHONE_IN_TEXT = re.compile(r"(?<!\d)(\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) <= 11 else f"+{digits[:5]}****{digits[-4:]}"


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else name


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_name(email)


def mask_text(text: str) -> str:
    """Mask every mainland mobile number found inside free text."""
    return _PHONE_IN_TEXT.sub(lambda m: f"{m.group(2)}****{m.group(4)}", text)
