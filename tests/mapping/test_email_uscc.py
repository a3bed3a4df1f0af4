"""E-mail shape and USCC check characters (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import MappingError
from mapping import EmailAddress, normalise_email, uscc_check_char, validate_uscc
from mapping.uscc import USCC_ALPHABET


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wang.wei@zhilian.com", EmailAddress("wang.wei@zhilian.com", "zhilian.com")),
        (" Wang.Wei@ZhiLian.COM ", EmailAddress("wang.wei@zhilian.com", "zhilian.com")),
        ("ｗａｎｇ＠ｚｈｉｌｉａｎ．ｃｎ", EmailAddress("wang@zhilian.cn", "zhilian.cn")),
        ("wang@zhilian。com", EmailAddress("wang@zhilian.com", "zhilian.com")),
        (
            "mailto:li+leads@mail.example.com.cn",
            EmailAddress("li+leads@mail.example.com.cn", "mail.example.com.cn"),
        ),
        ("12345678@qq.com", EmailAddress("12345678@qq.com", "qq.com")),
    ],
)
def test_email_accepted(text: str, expected: EmailAddress) -> None:
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("wang", "exactly one '@'"),
        ("a@b@c.com", "exactly one '@'"),
        ("wang wei@zhilian.com", "spaces"),
        ("wang@zhilian", "domain"),
        ("wang@-zhilian.com", "domain"),
        (".wang@zhilian.com", "before '@'"),
    ],
)
def test_email_rejected_with_reason(text: str, reason: str) -> None:
    with pytest.raises(MappingError, match=reason) as caught:
        normalise_email(text)
    assert caught.value.field == "email"


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(st.emails())
def test_generated_emails_normalise_to_lower_case_with_their_domain(address: str) -> None:
    try:
        result = normalise_email(address)
    except MappingError:
        return  # RFC allows shapes (quoted parts, IP literals) we deliberately do not
    assert result.address == result.address.lower()
    assert result.address.endswith("@" + result.domain)


# Real codes, published on the companies' licences.
@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_known_valid_codes(code: str) -> None:
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code
    assert validate_uscc(f" {code[:6]} {code[6:12]}-{code[12:]} ") == code


def test_full_width_code_is_folded() -> None:
    assert validate_uscc("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "empty"),
        ("9135010", "18 characters, not 7"),
        ("91350100M000100Y4I", "outside the GB 32100 alphabet: I"),
        ("91AB0100M000100Y43", "3-8 must be digits"),
        ("91350100M000100Y44", "check character is 4, expected 3"),
    ],
)
def test_invalid_codes_say_why(code: str, reason: str) -> None:
    with pytest.raises(MappingError, match=reason) as caught:
        validate_uscc(code)
    assert caught.value.field == "uscc"


BODY = st.tuples(
    st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
).map("".join)


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(BODY)
def test_generated_codes_validate(body: str) -> None:
    code = body + uscc_check_char(body)
    assert validate_uscc(code) == code


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(BODY, st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET))
def test_any_single_changed_character_is_rejected(body: str, position: int, replacement: str) -> None:
    code = body + uscc_check_char(body)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(MappingError):
        validate_uscc(changed)
