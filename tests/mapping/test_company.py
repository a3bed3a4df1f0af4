"""Company names: the display form, and the core shared by spellings of one company."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapping import CompanyParts, company_core, normalise_company


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("杭州智联医疗器械有限公司", "杭州智联医疗器械有限公司"),
        ("智联医械（杭州）有限公司", "智联医械(杭州)有限公司"),
        ("智联医械【杭州】有限公司", "智联医械(杭州)有限公司"),
        ("智联医械[杭州]有限公司", "智联医械(杭州)有限公司"),
        ("  ＡＢＣ　科技   有限公司 ", "ABC 科技 有限公司"),
        ("智联医械 ( 杭州 ) 有限公司", "智联医械(杭州)有限公司"),
        ("Acme  Medical Co., Ltd.", "Acme Medical Co., Ltd."),
    ],
)
def test_normalise_company(text: str, expected: str) -> None:
    assert normalise_company(text) == expected


SAME_COMPANY = ["杭州智联医疗器械有限公司", "智联医械(杭州)有限公司", "杭州智联医疗器械", "智联醫療器械（杭州）有限公司",
                "浙江杭州智联医疗器械股份有限公司", "杭州市智联医疗器械有限公司"]  # fmt: skip


@pytest.mark.parametrize("name", SAME_COMPANY)
def test_spellings_of_one_company_share_core_and_region(name: str) -> None:
    parts = company_core(name)
    assert (parts.core, parts.region, parts.industry) == ("智联医械", "杭州", "医械")


def test_another_city_keeps_its_region() -> None:
    assert company_core("苏州智联医疗器械有限公司") == CompanyParts("智联医械", "苏州", "有限公司", "医械")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("杭州智联医疗器械有限公司", CompanyParts("智联医械", "杭州", "有限公司", "医械")),
        ("上海电气集团股份有限公司", CompanyParts("上海电气", None, "集团股份有限公司", "电气")),
        ("安康医疗", CompanyParts("安康医疗", None, None, "医疗")),  # 安康 is the trade name here
        ("北京大学", CompanyParts("北京大学", None, None, "大学")),
        ("强生(中国)医疗器材有限公司", CompanyParts("强生医械", None, "有限公司", "医械")),
        (
            "杭州智联医疗器械有限公司上海分公司",
            CompanyParts("智联医械", "杭州", "有限公司上海分公司", "医械"),
        ),
        ("智联(普通合伙)", CompanyParts("智联", None, "(普通合伙)", None)),
        ("深圳市腾讯计算机系统有限公司", CompanyParts("腾讯计算机系统", "深圳", "有限公司", None)),
        ("Acme Medical Co., Ltd.", CompanyParts("acme medical", None, "co ltd.", None)),
        ("有限公司", CompanyParts("有限公司", None, None, None)),
    ],
)
def test_company_core_parts(text: str, expected: CompanyParts) -> None:
    assert company_core(text) == expected


NAME_CHARS = st.sampled_from(list("智联康华瑞博远达信恒泰科医械杭州苏有限公司()（）【】 ABC"))


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(st.text(alphabet=NAME_CHARS, min_size=1, max_size=20))
def test_normalise_is_idempotent_and_core_never_empty(text: str) -> None:
    once = normalise_company(text)
    assert normalise_company(once) == once
    assert "（" not in once and "【" not in once and "  " not in once
    if once:
        assert company_core(text).core
        assert company_core(once) == company_core(text)


@pytest.mark.parametrize(
    ("name", "core", "region"),
    [
        ("南京鼓楼仁和医疗设备有限公司", "仁和医疗设备", "南京"),  # a district of the city before it goes
        ("南京市鼓楼区仁和医疗设备有限公司", "仁和医疗设备", "南京"),
        ("北京朝阳康瑞医疗科技有限公司", "康瑞医疗科技", "北京"),  # in a municipality too
        ("鼓楼仁和医疗", "鼓楼仁和医疗", None),  # a district alone stays: 鼓楼 is in four cities
        ("杭州萧山医疗器械有限公司", "萧山医械", "杭州"),  # nothing but an industry word would be left
        ("南京朝阳医疗器械有限公司", "朝阳医械", "南京"),  # 朝阳 is no district of 南京
    ],
)
def test_a_district_after_its_city_is_part_of_the_region(name: str, core: str, region: str | None) -> None:
    parts = company_core(name)
    assert (parts.core, parts.region) == (core, region)


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("郑州威远医疗设备又限公司", "有限公司"),  # a character of the same sound (you xian)
        ("长春威远医疗设备有限公寺", "有限公司"),  # (gong si)
        ("海口威远医疗设备有闲责任公司", "有限责任公司"),
        ("南昌威远医疗设备有限任责公司", "有限责任公司"),  # two neighbours swapped
        ("大连威远医疗设备有限司公", "有限公司"),
        ("哈尔滨威远医疗设备股有份限公司", "股份有限公司"),
        ("西安威远医疗设备股份有公司", "股份有限公司"),  # one character dropped
        ("合肥威远医疗设备有限公", "有限公司"),
    ],
)
def test_a_misspelt_legal_form_is_still_a_legal_form(name: str, form: str) -> None:
    parts = company_core(name)
    assert (parts.core, parts.legal_form) == ("威远医疗设备", form)


def test_a_misspelt_branch_head_office_form_goes_with_the_branch() -> None:
    parts = company_core("呼和浩特江胜化学有限公斯东莞分公司")
    assert (parts.core, parts.region, parts.legal_form) == ("江胜化学", "呼和浩特", "有限公司东莞分公司")


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("富有公司", "富有"),  # only long forms are read misspelt: 有公司 is not 有限公司 here
        ("北京联合企业", "联合企业"),  # a form is dropped from only when it ends in 公司
        ("有限公思", "有限公思"),  # nothing would be left of the name
    ],
)
def test_a_name_that_only_looks_like_a_misspelt_form_keeps_its_characters(name: str, core: str) -> None:
    assert company_core(name).core == core
