"""Offline address resolution against the committed labelled set, with the precision gate."""

from __future__ import annotations

import pytest

from mapping.address import AddressHints, normalise_address, parse_address
from tests.routing.address_set import load_labelled, score

PRECISION_GATE = 0.98  # of the addresses resolved offline, this share must have the right district
COVERAGE_GATE = 0.95  # of the addresses labelled resolvable, this share must be resolved offline
AMBIGUITY_GATE = 0.95  # of the addresses labelled ambiguous, this share must be left for Amap


def test_labelled_set_district_precision_is_gated(capsys: pytest.CaptureFixture[str]) -> None:
    rows = load_labelled()
    assert len(rows) >= 300
    assert sum(r.ambiguous for r in rows) >= 50
    result, misses = score(rows)
    with capsys.disabled():
        print(
            f"\naddress set: {result.total} addresses, district precision {result.precision:.3f} "
            f"({result.correct}/{result.resolved}), coverage {result.coverage:.3f}, "
            f"ambiguity recall {result.ambiguity_recall:.3f}"
        )
    assert result.precision >= PRECISION_GATE, misses
    assert result.coverage >= COVERAGE_GATE, misses
    assert result.ambiguity_recall >= AMBIGUITY_GATE, misses


@pytest.mark.parametrize(
    ("address", "hints", "adcode", "resolved"),
    [
        ("杭州萧山", None, "330109", True),
        ("朝阳区望京SOHO", None, None, False),
        ("朝阳区望京SOHO", AddressHints(city="北京"), "110105", True),
        ("朝阳区红旗街", AddressHints(phone="+8643185551234"), "220104", True),
        ("鼓楼区中山路321号", None, None, False),
        ("济南市中区", None, "370103", True),
        ("杭州市文一西路", None, "330100", False),
        ("文一西路969号", AddressHints(city="杭州"), "330100", False),
        ("东莞市长安镇", None, "441900", True),
        ("萧山城厢", None, None, False),
    ],
)
def test_examples(address: str, hints: AddressHints | None, adcode: str | None, resolved: bool) -> None:
    parsed = parse_address(address, hints)
    assert (parsed.adcode, parsed.resolved) == (adcode, resolved), parsed.reason


def test_partial_parse_narrows_the_geocoder_to_the_city() -> None:
    parsed = parse_address("杭州市文一西路969号")
    assert parsed.ambiguous and parsed.geocoder_city == "330100" and parsed.rest == "文一西路969号"


def test_normalised_text_is_the_same_for_spacing_width_and_script() -> None:
    assert normalise_address("中国 浙江省，杭州市 濱江區") == normalise_address("浙江省杭州市滨江区")


def test_mobile_numbers_give_no_place_but_landlines_do() -> None:
    assert parse_address("解放路1号", AddressHints(phone="+8613812345678")).geocoder_city is None
    assert parse_address("解放路1号", AddressHints(phone="+8657188776655")).geocoder_city == "330100"
