"""Render vendor-neutral sandbox leads in each vendor's field names (the contract with mapping/)."""

from __future__ import annotations

import random
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
        "advertiser_id": int(account),
        "ad_id": int(_digits(rng, 16)),
        "ad_name": rng.choice(("骨科耗材-春季推广", "IVD试剂-信息流", "手术器械-搜索词包", "品牌-抖音原生")),
        "clue_source": rng.choice(("抖音", "抖音", "今日头条", "西瓜视频")),
        "remark": lead.remark,
    }
    if lead.contact is None:
        del record["name"]
    return record


def render_tencent_ads(lead: NeutralLead, rng: random.Random, account: str) -> dict[str, Any]:
    parts = (
        f"意向:{lead.product}" if lead.product else "",
        f"预算:{lead.budget}" if lead.budget else "",
        lead.remark,
    )
    remark = " ".join(part for part in parts if part)
    record: dict[str, Any] = {
        "leads_id": _digits(rng, 12),
        "leads_name": lead.contact or "",
        "leads_telephone": lead.phone or "",
        "leads_email": lead.email or "",
        "leads_company": lead.company or "",
        "leads_area": f"{lead.province} {lead.city}",
        "leads_address": lead.address or "",
        "leads_create_time": lead.created_at.strftime(TIME_FORMAT),
        "leads_source": rng.choice(("朋友圈广告", "公众号广告", "QQ广告", "腾讯新闻")),
        "campaign_id": int(_digits(rng, 8)),
        "adgroup_id": int(_digits(rng, 9)),
        "leads_remark": remark,
    }
    if lead.phone is None:
        del record["leads_telephone"]
    return record


def render_baidu(lead: NeutralLead, rng: random.Random, account: str) -> dict[str, Any]:
    form = [
        {"name": label, "value": value}
        for label, value in (("公司名称", lead.company), ("意向产品", lead.product), ("预算", lead.budget),
                             ("邮箱", lead.email), ("留言", lead.remark))
        if value
    ]  # fmt: skip
    record: dict[str, Any] = {
        "clueId": _digits(rng, 15),
        "name": lead.contact or "",
        "phoneNum": lead.phone or "",
        "commitTime": lead.created_at.strftime(TIME_FORMAT),
        "area": f"{lead.province}-{lead.city}",
        "formDetail": form,
        "planName": rng.choice(("医疗器械-通用词", "骨科-品牌词", "IVD-竞品词", "基木鱼-表单")),
        "unitName": rng.choice(("骨科耗材", "体外诊断", "手术器械", "影像")),
        "keyword": rng.choice(("骨科耗材厂家", "ivd试剂批发", "手术器械采购", "医疗器械公司", "")),
        "url": f"https://isite.baidu.com/site/wjz{_digits(rng, 6)}/form",
    }
    if lead.address:
        record["address"] = lead.address
    return record


RENDERERS = {"ocean_engine": render_ocean_engine, "tencent_ads": render_tencent_ads, "baidu": render_baidu}
