"""Phone normalisation: the examples from the issue, reasons for junk, and format invariance."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.errors import MappingError
from mapping import Phone, normalise_phone

MOBILE = Phone("+8613812345678", "mobile")
LANDLINE = Phone("+8657188881234", "landline")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("138 1234 5678", MOBILE),
        ("13812345678", MOBILE),
        ("+86-138-1234-5678", MOBILE),
        ("8613812345678", MOBILE),
        ("008613812345678", MOBILE),
        ("+86 13812345678", MOBILE),
        ("１３８１２３４５６７８", MOBILE),
        ("１３８－１２３４－５６７８", MOBILE),
        ("13812345678.0", MOBILE),
        ("电话：13812345678（微信同号）", MOBILE),
        ("13812345678/13912345678", MOBILE),
        ("0571-88881234", LANDLINE),
        ("(0571)88881234", LANDLINE),
        ("（0571）88881234", LANDLINE),
        ("0571 8888 1234", LANDLINE),
        ("0571-88881234转123", Phone("+8657188881234", "landline", "123")),
        ("+86 571 8888 1234", LANDLINE),
        ("010-12345678", Phone("+861012345678", "landline")),
        ("400-800-1234", Phone("+864008001234", "other")),
        ("+1 650 253 0000", Phone("+16502530000", "other")),
    ],
)
def test_accepted_formats(text: str, expected: Phone) -> None:
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "021 6123 4567-801",
        "021-61234567-801",
        "021 6123 4567转801",
        "021 6123 4567 ext. 801",
        "02161234567 x801",
    ],
)
def test_a_landline_keeps_its_extension(text: str) -> None:
    """Issue 18: ``021 6123 4567-801`` was "too long"; 转/ext were accepted but the extension lost."""
    assert normalise_phone(text) == Phone("+862161234567", "landline", "801")


def test_a_dash_after_a_mobile_is_no_extension() -> None:
    with pytest.raises(MappingError):
        normalise_phone("138-1234-5678-1")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "no digits"),
        ("无", "no digits"),
        ("123", "too short"),
        ("1381234567890123456", "too long"),
        ("1.38123E+10", "scientific notation"),
        ("88881234", "no area code"),
        ("12345678901", "not a valid number"),
    ],
)
def test_junk_is_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(MappingError, match=reason) as caught:
        normalise_phone(text)
    assert caught.value.field == "phone"


MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "158", "186", "188"]
AREA_CODES = ["10", "21", "20", "571", "755", "512"]


def _formats(national: str) -> list[str]:
    """Ways people write one Chinese number (``national`` without the trunk 0 or +86)."""
    trunk = national if national.startswith("1") and len(national) == 11 else "0" + national
    spaced = " ".join([trunk[:3], trunk[3:7], trunk[7:]])
    full_width = trunk.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    return [
        trunk,
        spaced,
        f"+86{national}",
        f"+86-{national}",
        f"86{national}",
        f"0086 {national}",
        full_width,
    ]


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(prefix=st.sampled_from(MOBILE_PREFIXES), rest=st.from_regex(r"\A[0-9]{8}\Z"))
def test_every_format_of_a_mobile_gives_one_e164(prefix: str, rest: str) -> None:
    national = prefix + rest
    results = {normalise_phone(text) for text in _formats(national)}
    assert results == {Phone(f"+86{national}", "mobile")}


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(area=st.sampled_from(AREA_CODES), subscriber=st.from_regex(r"\A[2-8][0-9]{7}\Z"))
def test_every_format_of_a_landline_gives_one_e164(area: str, subscriber: str) -> None:
    national = area + subscriber
    try:
        expected = normalise_phone("0" + national)
    except MappingError:
        assume(False)  # not every 8-digit block is allocated
    assert expected.kind == "landline"
    variants = [
        f"0{area}-{subscriber}",
        f"(0{area}){subscriber}",
        f"+86 {area} {subscriber}",
        f"86-{area}-{subscriber}",
    ]
    assert {normalise_phone(v) for v in variants} == {expected}


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=30))
def test_text_without_digits_is_rejected(text: str) -> None:
    with pytest.raises(MappingError):
        normalise_phone(text)


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(st.text(max_size=40))
def test_never_raises_anything_but_mapping_error(text: str) -> None:
    try:
        result = normalise_phone(text)
    except MappingError as exc:
        assert str(exc)
    else:
        assert result.e164.startswith("+") and result.e164[1:].isdigit()
        assert result.kind in {"mobile", "landline", "other"}


def _slow(text: str) -> Phone | str:
    from mapping.phone import _parse_one

    try:
        return _parse_one(text, "CN", fast=False)
    except MappingError as exc:
        return str(exc)


def _fast(text: str) -> Phone | str:
    try:
        return normalise_phone(text)
    except MappingError as exc:
        return str(exc)


@settings(deadline=None, max_examples=2000)  # CI machines are shared: time is not the property
@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
def test_the_mobile_fast_path_agrees_with_phonenumbers(number: str) -> None:
    """The per-block shortcut for plain 11-digit numbers gives phonenumbers' answer, valid or not."""
    assert _fast(number) == _slow(number)
    assert _fast("+86" + number) == _slow("+86" + number)


@pytest.mark.parametrize("block", ["13800", "14000", "14500", "16200", "17400", "17406", "19200", "19900"])
def test_the_mobile_fast_path_agrees_on_edge_blocks(block: str) -> None:
    for tail in ("000000", "123456", "999999"):
        assert _fast(block + tail) == _slow(block + tail)


@settings(deadline=None, max_examples=2000)  # CI machines are shared: time is not the property
@given(
    area=st.sampled_from(["10", "20", "21", "25", "29", "311", "335", "431", "571", "755", "851", "898"]),
    lead=st.sampled_from(["", "1", "9", "95", "100", "0"]),
    digits=st.from_regex(r"\A[0-9]{5,9}\Z"),
    dash=st.booleans(),
)
def test_the_landline_fast_path_agrees_with_phonenumbers(
    area: str, lead: str, digits: str, dash: bool
) -> None:
    """The per-block shortcut for plain landlines with a trunk 0 gives phonenumbers' answer, valid
    or not, kind included (toll-free, special and short numbers too)."""
    subscriber = (lead + digits)[: len(digits)]
    text = f"0{area}-{subscriber}" if dash else f"0{area}{subscriber}"
    assert _fast(text) == _slow(text)


def test_the_landline_fast_path_answers_for_blocks_it_has_seen() -> None:
    from mapping.phone import plain_phone

    assert plain_phone("0571-88881234") == Phone("+8657188881234", "landline")
    assert plain_phone("(010)6552 9988") == Phone("+861065529988", "landline")
    assert plain_phone("0571-8888123") is None or _slow("0571-8888123") == plain_phone("0571-8888123")
    assert plain_phone("+86 571 8888 1234") == Phone("+8657188881234", "landline")
    assert plain_phone("86 571 8888 1234") is None  # 86 without its plus: phonenumbers decides
    assert plain_phone("0571-88881234 转 8") is None  # an extension: phonenumbers decides
