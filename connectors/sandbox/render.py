"""Render vendor-neutral sandbox leads in each vendor's field names (the contract with mapping/)."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

from connectors.sandbox.seed import NeutralLead

__all__ = ["RENDERERS", "render_baidu", "render_ocean_engine", "render_tencent_ads"]

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def render_ocean_engine(lead: NeutralLead, rng: random.Random, account: str) -> dict[str, Any]:
    form: dict[str, Any] = {}
    if lead.company:
        form["公司名称"] = lead.company
    if lead.product:
        form["意向产品"] = lead.product
    if lead.budget:
        form["预算"] = lead.budget
    if lead.email:
        form["邮箱"] = lead.email
    record: dict[str, Any] = {
        "clue_id": _digits(rng, 19),
        "name": lead.contact or "",
        "telephone": lead.phone or "",
        "create_time_detail": lead.created_at.strftime(TIME_FORMAT),
        "province_name": lead.province,
        "city_name": lead.city,
        "address": lead.address or "",
        "remark_dict": form,
        "advertiser_id": account,  # the SDK's types: ids are strings, clue_source an int enum
        "ad_id": _digits(rng, 16),
        "ad_name": rng.choice(("骨科耗材-春季推广", "IVD试剂-信息流", "手术器械-搜索词包", "品牌-抖音原生")),
        "app_name": rng.choice(("抖音", "抖音", "今日头条", "西瓜视频")),
        "clue_source": 1,
        "remark": lead.remark,
    }
    if lead.contact is None:
        del record["name"]
    return record


def render_tencent_ads(lead: NeutralLead, rng: random.Random, account: str) -> dict[str, Any]:
    """A ``LeadsListStruct`` (v3.0 leads_list/get): the form's answers are JSON text in ``bundle``."""
    answers = (
        ("公司名称", lead.company),
        ("意向产品", lead.product),
        ("预算", lead.budget),
        ("备注", lead.remark),
    )
    form = {label: value for label, value in answers if value}
    acted = lead.created_at - timedelta(seconds=rng.randrange(3, 90))
    record: dict[str, Any] = {
        "account_id": int(account),
        "leads_id": int(_digits(rng, 15)),
        "leads_name": lead.contact or "",
        "leads_telephone": lead.phone or "",
        "leads_email": lead.email or "",
        "leads_area": f"{lead.province}{lead.city}",
        "address": lead.address or "",
        "bundle": json.dumps(form, ensure_ascii=False),
        "leads_create_time": lead.created_at.strftime(TIME_FORMAT),
        "leads_action_time": acted.strftime(TIME_FORMAT),
        "leads_type": "LEADS_TYPE_FORM",
        "leads_source": rng.choice(("XJ", "XJ", "WECHAT_CANVAS", "ONE_LEAF")),
        "adgroup_id": _digits(rng, 9),
        "adgroup_name": rng.choice(("朋友圈-骨科耗材", "公众号-IVD试剂", "QQ-手术器械", "腾讯新闻-品牌")),
    }
    if lead.phone is None:
        del record["leads_telephone"]
    return record


def render_baidu(lead: NeutralLead, rng: random.Random, account: str) -> dict[str, Any]:
    """A ``noticeDetailList`` item as the baiduads SDK names it (``NoticeReponse``). ``formDetail`` is a
    string there; its inner format is not published, so the sandbox sends a JSON list of {name, value}."""
    form = [
        {"name": label, "value": value}
        for label, value in (("公司名称", lead.company), ("意向产品", lead.product), ("预算", lead.budget),
                             ("邮箱", lead.email), ("地址", lead.address), ("留言", lead.remark))
        if value
    ]  # fmt: skip
    keyword = rng.choice(("骨科耗材厂家", "ivd试剂批发", "手术器械采购", "医疗器械公司", ""))
    return {
        "userId": 31000001,
        "solutionType": "form",
        "cluePhoneNumber": lead.phone or "",
        "commitTime": lead.created_at.strftime(TIME_FORMAT),
        "clueId": _digits(rng, 15),
        "flowChannelName": rng.choice(("百度搜索", "百度信息流", "好看视频")),
        "area": f"{lead.province}-{lead.city}",
        "connect": 0,
        "formDetail": json.dumps(form, ensure_ascii=False),
        "userName": lead.contact or "",
        "campaignId": int(_digits(rng, 9)),
        "adgroupId": int(_digits(rng, 10)),
        "campaignName": rng.choice(("医疗器械-通用词", "骨科-品牌词", "IVD-竞品词", "基木鱼-表单")),
        "adgroupName": rng.choice(("骨科耗材", "体外诊断", "手术器械", "影像")),
        "keyword": keyword,
        "searchWord": keyword,
        "url": f"https://isite.baidu.com/site/wjz{_digits(rng, 6)}/form",
        "solutionName": "基木鱼-表单",
        "accountName": account,
    }


RENDERERS = {"ocean_engine": render_ocean_engine, "tencent_ads": render_tencent_ads, "baidu": render_baidu}
