"""Field maps per source kind: realistic vendor payloads to canonical leads, overrides, failures."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.errors import ConfigError, MappingError
from mapping import SOURCE_KINDS, load_field_map, map_lead

SUBMITTED = datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)

OCEAN_ENGINE: dict[str, Any] = {
    "clue_id": "7305982113402937100",
    "name": "王总",
    "telephone": "138 1234 5678",
    "create_time_detail": "2026-11-20 10:21:33",
    "province_name": "浙江省",
    "city_name": "杭州市",
    "address": "西湖区文三路 90 号",
    "remark_dict": {
        "公司名称": "杭州智联医疗器械有限公司",
        "意向产品": "骨科耗材",
        "预算": "50-100万",
        "邮箱": "Wang@ZhiLian.com",
        "备注": "周一上午联系",
    },
    "advertiser_id": 1712345678901234,
    "ad_id": 1798765432109876,
    "ad_name": "骨科耗材-杭州-11月",
    "clue_source": "抖音",
}

TENCENT_ADS: dict[str, Any] = {  # a LeadsListStruct (v3.0 leads_list/get); the form's answers in bundle
    "leads_id": 88001234,
    "leads_name": "李经理",
    "leads_telephone": "+86-139-1234-5678",
    "leads_email": "li@example.com.cn",
    "leads_area": "江苏省 苏州市",
    "address": "工业园区星湖街 328 号",
    "bundle": '{"公司名称": "苏州智联医疗器械有限公司", "备注": "想了解IVD试剂"}',
    "leads_create_time": "2026-11-20 10:21:40",
    "leads_action_time": "2026-11-20 10:21:33",
    "leads_source": "XJ",
    "adgroup_id": "71234567",
    "adgroup_name": "朋友圈-IVD",
}

BAIDU: dict[str, Any] = {  # a noticeDetailList item; formDetail is a string (format not published)
    "clueId": "b-20261120-0001",
    "userName": "张伟(采购部)",
    "cluePhoneNumber": "(0571)88881234",
    "commitTime": "2026-11-20 10:21:33",
    "area": "浙江省-杭州市",
    "formDetail": '[{"name": "公司名称", "value": "智联医械（杭州）有限公司"}, {"name": "意向产品", "value": "手术器械"},'
    ' {"name": "预算", "value": "≥50万"}, {"name": "邮箱", "value": "zhang@zhilian.com"}]',
    "campaignName": "器械-搜索-华东",
    "adgroupName": "手术器械",
    "keyword": "骨科 手术器械 价格",
    "url": "https://example.com/landing?bd_vid=1",
}

WEB_FORM: dict[str, Any] = {
    "submission_id": "wf_01JD7K3Q",
    "submitted_at": "2026-11-20T10:21:33+08:00",
    "fields": {
        "name": "赵敏",
        "phone": "0571-88881234",
        "email": "zhao@zhilian.com",
        "company": "杭州智联医疗器械有限公司",
        "address": "滨江区江南大道 100 号",
        "city": "杭州",
        "product": ["IVD", "试剂"],
        "budget": "1.2亿",
        "remark": "",
        "utm_source": "baidu",
        "utm_campaign": "%E5%8F%8C11",
    },
}


def test_every_source_kind_has_a_packaged_map() -> None:
    for kind in SOURCE_KINDS:
        assert load_field_map(kind).source_kind == kind


def test_ocean_engine() -> None:
    lead = map_lead(load_field_map("ocean_engine"), OCEAN_ENGINE)
    assert lead.external_id == "7305982113402937100"
    assert (lead.contact_name, lead.contact_title) == ("王", "总")
    assert (lead.phone, lead.phone_kind) == ("+8613812345678", "mobile")
    assert lead.email == "wang@zhilian.com"
    assert lead.company == "杭州智联医疗器械有限公司"
    assert (lead.province_hint, lead.city_hint) == ("浙江省", "杭州市")
    assert (lead.budget_min, lead.budget_max) == (Decimal(500000), Decimal(1000000))
    assert lead.products == ["ortho_consumables"]
    assert (lead.channel, lead.campaign) == ("douyin", "骨科耗材-杭州-11月")
    assert lead.remark == "周一上午联系"
    assert lead.submitted_at == SUBMITTED


def test_tencent_ads() -> None:
    lead = map_lead(load_field_map("tencent_ads"), TENCENT_ADS)
    assert lead.external_id == "88001234"
    assert (lead.contact_name, lead.contact_title) == ("李", "经理")
    assert lead.phone == "+8613912345678"
    assert lead.company == "苏州智联医疗器械有限公司"
    assert (lead.province_hint, lead.city_hint) == ("江苏省", "苏州市")
    assert lead.products == ["ivd_reagents"]  # read from the remark
    assert (lead.channel, lead.campaign) == ("tencent_ads", "朋友圈-IVD")
    assert lead.remark == "想了解IVD试剂"  # not repeated as an unmatched product note
    assert lead.address == "工业园区星湖街 328 号"
    assert lead.submitted_at == SUBMITTED


def test_baidu_reads_the_name_value_list() -> None:
    lead = map_lead(load_field_map("baidu"), BAIDU)
    assert lead.external_id == "b-20261120-0001"
    assert (lead.contact_name, lead.contact_title) == ("张伟", "采购部")
    assert (lead.phone, lead.phone_kind) == ("+8657188881234", "landline")
    assert lead.company == "智联医械(杭州)有限公司"
    assert lead.email == "zhang@zhilian.com"
    assert (lead.budget_min, lead.budget_max) == (Decimal(500000), None)
    assert lead.products == ["surgical_instruments", "ortho_consumables"]  # form answer, then keyword
    assert (lead.channel, lead.campaign) == ("baidu", "器械-搜索-华东")
    assert (lead.province_hint, lead.city_hint) == ("浙江省", "杭州市")


def test_web_form() -> None:
    lead = map_lead(load_field_map("web_form"), WEB_FORM)
    assert lead.external_id == "wf_01JD7K3Q"
    assert lead.submitted_at == SUBMITTED
    assert (lead.province_hint, lead.city_hint) == ("浙江省", "杭州市")
    assert lead.products == ["ivd_reagents"]
    assert lead.budget_min == lead.budget_max == Decimal(120000000)
    assert (lead.channel, lead.campaign) == ("baidu", "双11")
    assert lead.remark is None


def test_web_form_defaults_channel_when_no_utm_source() -> None:
    payload = copy.deepcopy(WEB_FORM)
    del payload["fields"]["utm_source"]
    assert map_lead(load_field_map("web_form"), payload).channel == "website"


def test_bad_optional_values_go_to_remark_and_the_lead_is_kept() -> None:
    payload = copy.deepcopy(OCEAN_ENGINE)
    payload["remark_dict"].update({"预算": "看情况", "邮箱": "wang at zhilian", "意向产品": "医用冰箱"})
    payload["create_time_detail"] = "昨天"
    lead = map_lead(load_field_map("ocean_engine"), payload)
    assert lead.budget_min is None and lead.email is None and lead.products == []
    assert lead.phone == "+8613812345678"
    assert lead.remark is not None
    for kept in (
        "周一上午联系",
        "预算(无法识别): 看情况",
        "邮箱(无法识别): wang at zhilian",
        "意向产品(未识别): 医用冰箱",
    ):
        assert kept in lead.remark
    assert "提交时间(无法识别): 昨天" in lead.remark


def test_a_bad_phone_is_kept_in_remark_when_another_identifier_exists() -> None:
    payload = copy.deepcopy(OCEAN_ENGINE)
    payload["telephone"] = "12345"
    lead = map_lead(load_field_map("ocean_engine"), payload)
    assert lead.phone is None and lead.company == "杭州智联医疗器械有限公司"
    assert lead.remark is not None and "电话(无法识别): 12345" in lead.remark


def test_no_way_to_reach_anyone_is_a_mapping_error_naming_the_field() -> None:
    payload = {"clueId": "b-2", "userName": "王总", "cluePhoneNumber": "123", "formDetail": "[]"}
    with pytest.raises(MappingError) as caught:
        map_lead(load_field_map("baidu"), payload)
    message = str(caught.value)
    assert "no phone, email, company or USCC" in message
    assert "phone is too short (3 digits)" in message and "cluePhoneNumber" in message
    assert caught.value.field == "phone"


def test_nothing_at_all_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="no phone, email, company or USCC"):
        map_lead(load_field_map("tencent_ads"), {"leads_id": 1, "leads_name": "王"})


def test_missing_external_id_names_the_path() -> None:
    payload = {k: v for k, v in OCEAN_ENGINE.items() if k != "clue_id"}
    with pytest.raises(MappingError, match="external_id is missing: nothing at clue_id") as caught:
        map_lead(load_field_map("ocean_engine"), payload)
    assert caught.value.field == "external_id"


def test_payload_must_be_an_object() -> None:
    with pytest.raises(MappingError, match="JSON object"):
        map_lead(load_field_map("web_form"), ["not", "a", "dict"])  # type: ignore[arg-type]


def test_overlong_company_moves_to_remark() -> None:
    payload = copy.deepcopy(TENCENT_ADS)
    payload["bundle"] = json.dumps({"公司名称": "智联" * 150}, ensure_ascii=False)
    lead = map_lead(load_field_map("tencent_ads"), payload)
    assert lead.company is None and lead.phone == "+8613912345678"
    assert lead.remark is not None and "公司(无法识别): 智联智联" in lead.remark


def test_tenant_override_replaces_named_entries_only(tmp_path: Path) -> None:
    override = tmp_path / "acme_ocean.toml"
    override.write_text(
        '[fields]\ncompany = ["remark_dict.单位", "remark_dict.公司名称"]\ncampaign = ""\n'
        'uscc = "remark_dict.信用代码"\n',
        encoding="utf-8",
    )
    payload = copy.deepcopy(OCEAN_ENGINE)
    payload["remark_dict"].update({"单位": "杭州市第一人民医院", "信用代码": "91350100M000100Y43"})
    lead = map_lead(load_field_map("ocean_engine", override), payload)
    assert lead.company == "杭州市第一人民医院"
    assert lead.uscc == "91350100M000100Y43"
    assert lead.campaign is None  # removed by ""
    assert lead.phone == "+8613812345678"  # untouched entries still come from the packaged map


def test_override_can_bring_its_own_product_keywords(tmp_path: Path) -> None:
    (tmp_path / "products.toml").write_text('[products]\nspine = ["骨科耗材"]\n', encoding="utf-8")
    override = tmp_path / "tenant.toml"
    override.write_text('products_file = "products.toml"\n', encoding="utf-8")
    lead = map_lead(load_field_map("ocean_engine", override), OCEAN_ENGINE)
    assert lead.products == ["spine"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[fields]\nfax = "fax"\n', "unknown target 'fax'"),
        ('[fields]\nphone = { path = "a", combine = "some" }\n', "combine must be"),
        ('[fields]\nphone = { paht = "a" }\n', "unknown keys: paht"),
        ('[fields]\nphone = "a[b"\n', "bad payload path"),
        ("[fields\n", "not valid TOML"),
    ],
)
def test_bad_override_is_a_config_error(tmp_path: Path, content: str, message: str) -> None:
    override = tmp_path / "bad.toml"
    override.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_field_map("baidu", override)


def test_unknown_source_kind() -> None:
    with pytest.raises(ConfigError, match="unknown source kind"):
        load_field_map("fax_machine")
