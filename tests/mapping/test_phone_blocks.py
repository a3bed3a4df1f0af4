"""The per-block answer for plain mobiles is phonenumbers' parser's answer, for every block there is."""

from __future__ import annotations

from core.errors import MappingError
from mapping.phone import Phone, _mobile_block_valid, _parse_one


def _parser_says_mobile(number: str) -> bool:
    try:
        return _parse_one(number, "CN", fast=False) == Phone("+86" + number, "mobile")
    except MappingError:
        return False


def test_every_five_digit_block_is_decided_as_the_parser_decides_it() -> None:
    blocks = [f"1{second}{rest:03d}" for second in range(3, 10) for rest in range(1000)]
    assert len(blocks) == 7000
    valid = [block for block in blocks if _mobile_block_valid(block)]
    assert valid == [block for block in blocks if _parser_says_mobile(block + "000000")]
    assert "13800" in valid and "14000" not in valid  # some blocks are valid, some not
