"""Regions, product interest, channel and campaign, timestamps, payload paths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.errors import ConfigError, MappingError
from mapping import (
    RegionHints,
    clean_campaign,
    clean_channel,
    load_product_catalog,
    match_products,
    parse_timestamp,
    split_region,
)
from mapping._paths import parse_path


@pytest.mark.parametrize(
    ("text", "province", "city"),
    [
        ("浙江省 杭州市", "浙江省", "杭州市"),
        ("浙江省-杭州市", "浙江省", "杭州市"),
        ("浙江杭州", "浙江省", "杭州市"),
        ("杭州", "浙江省", "杭州市"),
        ("浙江省", "浙江省", None),
        ("上海市", "上海市", "上海市"),
        ("北京 朝阳区", "北京市", "北京市"),
        ("广西 南宁", "广西壮族自治区", "南宁市"),
        ("吉林市", "吉林省", "吉林市"),
        ("江苏昆山", "江苏省", "苏州市"),
        ("浙江省 某县", "浙江省", "某县"),
        ("某地", None, "某地"),
        ("", None, None),
    ],
)
def test_split_region(text: str, province: str | None, city: str | None) -> None:
    assert split_region(text) == RegionHints(province, city)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("骨科耗材", ["ortho_consumables"]),
        ("关节、脊柱", ["ortho_consumables"]),
        ("IVD试剂", ["ivd_reagents"]),
        ("ivd", ["ivd_reagents"]),
        ("体外诊断", ["ivd_reagents"]),
        ("手术器械", ["surgical_instruments"]),
        ("骨科手术器械和试剂", ["ortho_consumables", "surgical_instruments", "ivd_reagents"]),
        ("其他", []),
    ],
)
def test_products(text: str, expected: list[str]) -> None:
    assert match_products(text) == expected


def test_products_from_a_list_and_from_a_tenant_file(tmp_path: Path) -> None:
    assert match_products(["脊柱", "吻合器"]) == ["ortho_consumables", "surgical_instruments"]
    config = tmp_path / "products.toml"
    config.write_text('[products]\nimaging = ["CT", "核磁"]\n', encoding="utf-8")
    catalog = load_product_catalog(config)
    assert catalog.match("需要一台ct和骨科耗材") == ["imaging"]


def test_a_bad_products_file_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "products.toml"
    config.write_text('[products]\nimaging = "CT"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="list of non-empty keywords"):
        load_product_catalog(config)
    with pytest.raises(ConfigError, match="no such file"):
        load_product_catalog(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("抖音", "douyin"),
        (" DouYin ", "douyin"),
        ("百度", "baidu"),
        ("广点通", "tencent_ads"),
        ("{{utm_source}}", None),
        ("(not set)", None),
        ("", None),
        ("展会  上海", "展会 上海"),
    ],
)
def test_clean_channel(text: str, expected: str | None) -> None:
    assert clean_channel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%E5%8F%8C11+%E5%A4%A7%E4%BF%83", "双11 大促"),
        ("__CAMPAIGN_NAME__", None),
        ("  秋季   推广 ", "秋季 推广"),
        ("ｘ" * 120, "x" * 100),
    ],
)
def test_clean_campaign(text: str, expected: str | None) -> None:
    assert clean_campaign(text) == expected


CHINA = timedelta(hours=8)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20 10:21:33", datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)),
        ("2026-11-20T10:21:33+08:00", datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)),
        ("2026-11-20T02:21:33Z", datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)),
        ("2026/11/20 10:21", datetime(2026, 11, 20, 2, 21, tzinfo=UTC)),
        ("2026年11月20日 10:21:33", datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)),
        (1795141293, datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)),
        ("1795141293000", datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)),
    ],
)
def test_timestamps_are_aware_and_naive_means_china(value: object, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected and parsed.utcoffset() is not None


def test_bad_timestamp() -> None:
    with pytest.raises(MappingError, match="not a date and time"):
        parse_timestamp("yesterday")


PAYLOAD = {
    "remark_dict": {"公司名称 ": "智联", "预算：": "50万"},
    "formDetail": [{"name": "公司名称", "value": "百度智联"}, {"name": "预算", "value": "10w"}],
    "items": [{"id": 1}, {"id": 2}],
    "json_text": '{"公司名称": "字符串里的 JSON"}',
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("remark_dict.公司名称", "智联"),  # trailing space in the vendor's key
        ("remark_dict.预算", "50万"),  # full-width colon in the vendor's key
        ("formDetail[name=预算].value", "10w"),
        ("items[1].id", 2),
        ("items[-1].id", 2),
        ("items[5].id", None),
        ("json_text.公司名称", "字符串里的 JSON"),
        ("formDetail[name=邮箱].value", None),
        ("missing.deeper", None),
        ("remark_dict.公司名称.more", None),
    ],
)
def test_paths(path: str, expected: object) -> None:
    assert parse_path(path).resolve(PAYLOAD) == expected


@pytest.mark.parametrize("path", ["", "a..b", "a[x]", "a[1"])
def test_bad_paths_are_config_errors(path: str) -> None:
    with pytest.raises(ConfigError):
        parse_path(path)


def test_the_business_date_is_chinas_whatever_the_hosts_zone() -> None:
    from datetime import UTC, date, datetime

    from mapping.timestamps import china_today

    assert china_today(datetime(2026, 12, 6, 15, 59, tzinfo=UTC)) == date(2026, 12, 6)
    assert china_today(datetime(2026, 12, 6, 16, 0, tzinfo=UTC)) == date(2026, 12, 7)  # midnight in Beijing
