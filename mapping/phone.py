"""Phone numbers to E.164 with ``phonenumbers``, China (CN) as the default region.

Accepted: ``138 1234 5678``, ``+86-138-1234-5678``, ``8613812345678``, ``0086 138...``,
``0571-88881234``, ``(0571)88881234``, full-width digits, an extension after 转/分机/ext (or after
a landline's last dash: ``021 6123 4567-801``), kept in :attr:`Phone.extension`, and text around the
number ("电话：138..., 微信同号"). Several numbers in one field ("138.../139...") give the first valid
one. Everything else raises :class:`MappingError` with a reason a person can act on.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType, ValidationResult

from core.errors import MappingError
from mapping._text import fold

__all__ = ["Phone", "normalise_phone", "plain_mobile_e164", "plain_phone"]

DEFAULT_REGION = "CN"

_KINDS = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
}
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
_EXTENSION = re.compile(r"(转|分机|ext\.?|x)\s*(?=\d)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[/,;、|]|或")
_NOT_PHONE_CHARS = re.compile(r"[^0-9+()\- ]|(?<=\d)\((?=\D)")
_FLOAT_TAIL = re.compile(r"(?<=\d)\.0+$")  # 13812345678.0 from a number cell
_BARE_CN_INTERNATIONAL = re.compile(r"86(1\d{10}|[2-9]\d{8,10})")
_PLAIN_CN_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# trunk 0 or +86, area code, subscriber: 057188881234, +8657188881234
# (a national number starting 11-19 is no landline; left to the parser, which may read a carrier code)
_PLAIN_CN_LANDLINE = re.compile(r"(?:0|\+86)([2-9]\d{8,10}|10\d{7,9})")
_LANDLINE_NOISE = str.maketrans("", "", " -()")
# a landline's extension after its last dash: 021 6123 4567-801 (tried only when the whole is no number)
_DASH_EXTENSION = re.compile(r"(.*\d)\s*[-‐–—]\s*(\d{1,6})\s*")


class Phone(NamedTuple):
    e164: str
    kind: str  # mobile | landline | other
    extension: str | None = None  # digits of a switchboard extension; E.164 cannot carry it


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> Phone:
    """The first valid phone number in ``text``; :class:`MappingError` (field ``phone``) if none."""
    folded = fold(text).strip()
    if not folded:
        raise MappingError("phone is empty", field="phone")
    if _SCIENTIFIC.search(folded):
        raise MappingError(
            "phone looks like a spreadsheet number in scientific notation (e.g. 1.38E+10): its digits "
            "are lost; format the column as text and export again",
            field="phone",
        )
    folded = _EXTENSION.sub(" ext ", _FLOAT_TAIL.sub("", folded))
    candidates = [c for c in _SEPARATORS.split(folded) if any(ch.isdigit() for ch in c)]
    if not candidates:
        raise MappingError("phone has no digits", field="phone")
    first_reason = ""
    for candidate in candidates:
        try:
            return _parse_one(candidate, region)
        except MappingError as exc:
            first_reason = first_reason or str(exc)
            if (phone := _landline_with_dash_extension(candidate, region)) is not None:
                return phone
    raise MappingError(first_reason, field="phone")


def _landline_with_dash_extension(candidate: str, region: str) -> Phone | None:
    """``021 6123 4567-801``: the digits after the last dash as an extension, if what comes before
    is a landline (after a mobile they are more likely a typo, which stays an error)."""
    match = _DASH_EXTENSION.fullmatch(candidate)
    if match is None or " ext " in candidate:
        return None
    try:
        phone = _parse_one(f"{match.group(1)} ext {match.group(2)}", region)
    except MappingError:
        return None
    return phone if phone.kind == "landline" else None


@cache  # at most 7,000 blocks (13000-19999); a bounded cache thrashed on real data
def _mobile_block_valid(first5: str) -> bool:
    """Are the Chinese 11-digit numbers starting with these five digits valid mobiles?

    In phonenumbers' CN metadata an 11-digit national number starting 13-19 can only be a mobile,
    and whether it is valid is decided by at most its first five digits (``1740[0-5]``), so one
    number of a block answers for all of them (tests/mapping hold this against the slow path).
    Asked as the parser's last question (``_national_kind``): its string handling is the same for
    every plain 11-digit number, so the answer is the parser's.
    """
    return _national_kind(first5 + "000000") == "mobile"


def plain_mobile_e164(text: str) -> str | None:
    """E.164 of a plain, valid Chinese mobile (digits with an optional +86 or 86, spaces, dashes)
    without phonenumbers' parser; None for anything else, which :func:`normalise_phone` decides."""
    plain = _PLAIN_CN_MOBILE.fullmatch(text.replace(" ", "").replace("-", ""))
    if plain is None or not _mobile_block_valid(plain.group(1)[:5]):
        return None
    return "+86" + plain.group(1)


def _national_kind(national: str) -> str | None:
    """The kind of the Chinese national number ``national`` (no trunk 0), None when not valid.

    The question phonenumbers' parser ends with, asked directly: the parser would strip the trunk 0
    (or take +86) and arrive at the same national number, so only its 30 us of string handling go.
    """
    number_type = phonenumbers.number_type(PhoneNumber(country_code=86, national_number=int(national)))
    return None if number_type == PhoneNumberType.UNKNOWN else _KINDS.get(number_type, "other")


def plain_phone(text: str) -> Phone | None:
    """A plain, valid Chinese mobile or landline (``0571-8888 1234``, ``(0571)88881234``,
    ``+86 571 88881234``) without phonenumbers' parser; None for anything else, which
    :func:`normalise_phone` decides."""
    if (e164 := plain_mobile_e164(text)) is not None:
        return Phone(e164, "mobile")
    plain = _PLAIN_CN_LANDLINE.fullmatch(text.translate(_LANDLINE_NOISE))
    if plain is None:
        return None
    national = plain.group(1)
    kind = _national_kind(national)
    return None if kind is None else Phone("+86" + national, kind)


def _parse_one(candidate: str, region: str, fast: bool = True) -> Phone:
    """One candidate number; plain Chinese numbers (the bulk of leads, once the words around them
    such as 微信同号 are gone) skip phonenumbers' parser."""
    main, _, extension = candidate.partition(" ext ")
    cleaned = _NOT_PHONE_CHARS.sub(" ", main).strip()
    if fast and region == DEFAULT_REGION and not extension and (phone := plain_phone(cleaned)) is not None:
        return phone
    digits = "".join(ch for ch in cleaned if ch.isdigit())
    if not cleaned.startswith("+") and _BARE_CN_INTERNATIONAL.fullmatch(digits):
        cleaned = "+" + digits  # 8613812345678: country code without the plus
    if extension.strip():
        cleaned = f"{cleaned} ext. {''.join(ch for ch in extension if ch.isdigit())}"
    try:
        number = phonenumbers.parse(cleaned, region)
    except NumberParseException as exc:
        raise MappingError(f"phone is not a number ({_parse_reason(exc)})", field="phone") from exc
    number_type = phonenumbers.number_type(number)  # UNKNOWN unless the number is valid
    if number_type == PhoneNumberType.UNKNOWN:
        raise MappingError(f"phone {_invalid_reason(number, cleaned, digits, region)}", field="phone")
    kind = _KINDS.get(number_type, "other")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, kind, number.extension or None)


def _parse_reason(exc: NumberParseException) -> str:
    reasons = {
        NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        NumberParseException.NOT_A_NUMBER: "no phone number in the text",
        NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
        NumberParseException.TOO_SHORT_NSN: "too short",
        NumberParseException.TOO_LONG: "too long",
    }
    return reasons.get(exc.error_type, "unparseable")


def _invalid_reason(number: phonenumbers.PhoneNumber, cleaned: str, digits: str, region: str) -> str:
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != ValidationResult.IS_POSSIBLE:
        return _possible_reason(possible, len(digits))
    if region == "CN" and 7 <= len(digits) <= 8 and not cleaned.startswith(("0", "+")):
        return f"has {len(digits)} digits and no area code: a landline needs it, e.g. 0571-88881234"
    where = phonenumbers.region_code_for_number(number) or f"+{number.country_code}"
    return f"has the right length but is not a valid number in {where} (no such mobile prefix or area code)"


def _possible_reason(result: int, digit_count: int) -> str:
    if result == ValidationResult.TOO_SHORT:
        return f"is too short ({digit_count} digits)"
    if result == ValidationResult.TOO_LONG:
        return f"is too long ({digit_count} digits)"
    if result == ValidationResult.INVALID_COUNTRY_CODE:
        return "has an unknown country code"
    return f"has an impossible length ({digit_count} digits) for its country"
