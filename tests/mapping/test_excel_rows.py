"""Spreadsheet rows keyed by header text: the usual Chinese and English column names map unaided."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import ConfigError, MappingError
from mapping import load_field_map, map_excel_row, map_lead
from mapping._spec import normalise_header

EXCEL = load_field_map("excel")


def test_usual_chinese_headers() -> None:
    row = {
        "公司名称": "杭州智联医疗器械有限公司",
        "联系人": "王伟(采购部)",
        "手机号码": "13812345678",
        "电子邮箱": "wang@zhilian.com",
        "详细地址": "西湖区文三路 90 号",
        "所在地区": "浙江省 杭州市",
        "意向产品": "骨科耗材",
        "预算金额": "50万",
        "备注": "展会名片",
        "统一社会信用代码": "91350100M000100Y43",
        "不认识的列": "ignored",
    }
    lead = map_excel_row(EXCEL, row, "sha256:abc:5")
    assert lead.external_id == "sha256:abc:5"
    assert lead.company == "杭州智联医疗器械有限公司"
    assert (lead.contact_name, lead.contact_title) == ("王伟", "采购部")
    assert lead.phone == "+8613812345678"
    assert lead.email == "wang@zhilian.com"
    assert lead.address == "西湖区文三路 90 号"
    assert (lead.province_hint, lead.city_hint) == ("浙江省", "杭州市")
    assert lead.products == ["ortho_consumables"]
    assert lead.budget_min == lead.budget_max == Decimal(500000)
    assert lead.remark == "展会名片"
    assert lead.uscc == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("header", "target_value"),
    [
        ("客户名称", "company"),
        ("单位名称", "company"),
        ("公司", "company"),
        ("Company", "company"),
        ("姓名", "contact_name"),
        ("客户姓名", "contact_name"),
        ("手机", "phone"),
        ("电话", "phone"),
        ("联系电话", "phone"),
        ("*手机号：", "phone"),
        ("Phone", "phone"),
        ("Email", "email"),
        ("邮箱", "email"),
        ("地址", "address"),
        ("产品", "products"),
        ("预算", "budget"),
        ("说明", "remark"),
        ("信用代码", "uscc"),
        ("省市", "region"),
        ("城市", "region"),
        ("地区", "region"),
        ("ＥＭＡＩＬ", "email"),
        ("公司名称(必填)", "company"),
    ],
)
def test_header_aliases(header: str, target_value: str) -> None:
    hit = EXCEL.column_target(header)
    assert hit is not None and hit[0] == target_value


def test_header_unit_applies_to_bare_numbers() -> None:
    assert normalise_header(" *预算（万元）：") == ("预算", "万")
    lead = map_excel_row(EXCEL, {"公司": "智联", "预算(万元)": "50"}, "f:2")
    assert lead.budget_min == Decimal(500000)
    lead = map_excel_row(EXCEL, {"公司": "智联", "预算(万元)": "50万-1亿"}, "f:3")
    assert (lead.budget_min, lead.budget_max) == (Decimal(500000), Decimal(100000000))


def test_first_listed_alias_wins_and_remarks_join() -> None:
    row = {"电话": "0571-88881234", "手机": "13812345678", "备注": "A", "说明": "B", "公司": "智联"}
    lead = map_excel_row(EXCEL, row, "f:4")
    assert lead.phone == "+8613812345678"  # 手机 is listed before 电话
    assert lead.remark == "A | B"


def test_empty_preferred_column_falls_back_to_the_next() -> None:
    lead = map_excel_row(EXCEL, {"手机": "", "电话": "0571-88881234"}, "f:5")
    assert lead.phone == "+8657188881234"


def test_number_cells_that_became_floats() -> None:
    lead = map_excel_row(EXCEL, {"手机": "13812345678.0", "公司名称": "智联"}, "f:6")
    assert lead.phone == "+8613812345678"


def test_a_row_with_nothing_to_reach_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match=r"phone has no digits \(from column '手机'\)"):
        map_excel_row(EXCEL, {"联系人": "王总", "手机": "无"}, "f:7")


def test_maps_must_match_the_function() -> None:
    with pytest.raises(ConfigError, match="no \\[columns\\]"):
        map_excel_row(load_field_map("baidu"), {"公司": "智联"}, "f:9")
    with pytest.raises(ConfigError, match="no \\[fields\\]"):
        map_lead(EXCEL, {"公司": "智联"})


def test_external_id_is_required() -> None:
    with pytest.raises(MappingError, match="external_id"):
        map_excel_row(EXCEL, {"公司": "智联"}, "  ")


def test_tenant_adds_its_own_headers(tmp_path: Path) -> None:
    override = tmp_path / "excel.toml"
    override.write_text('[columns]\ncompany = ["医院", "公司名称"]\n', encoding="utf-8")
    tenant = load_field_map("excel", override)
    lead = map_excel_row(tenant, {"医院": "杭州市第一人民医院", "手机": "13812345678"}, "f:8")
    assert lead.company == "杭州市第一人民医院"
    assert tenant.column_target("客户名称") is None  # replaced, not extended
