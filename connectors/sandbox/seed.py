"""Deterministic, realistic Chinese B2B medical-device leads for the sandbox simulators.

The same companies arrive through every channel under name variants (杭州智联医疗器械有限公司 /
智联医械(杭州)有限公司 / 杭州智联医疗器械), with phones in many formats (138 1234 5678,
+86-138-1234-5678, 0571-8888xxxx landlines), ambiguous addresses (杭州萧山, 朝阳区, 鼓楼区, a bare
street), budgets as text (50万, 50-100万, ≥50万, 1.2亿), product interests, some bad phones and
some missing fields. :func:`generate_leads` gives vendor-neutral leads; the vendor modules render
them in their own field names. Same seed, same leads, on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.incremental import CST

__all__ = ["ANCHOR", "COMPANIES", "Company", "NeutralLead", "generate_leads"]

ANCHOR = datetime(2026, 11, 1, 8, 0, 0, tzinfo=CST)


@dataclass(frozen=True)
class Company:
    names: tuple[str, ...]  # the registered name first, then variants people type
    province: str
    city: str
    addresses: tuple[str, ...]  # from precise to ambiguous
    landline_area: str
    domain: str


COMPANIES: tuple[Company, ...] = (
    Company(
        ("杭州智联医疗器械有限公司", "智联医械(杭州)有限公司", "杭州智联医疗器械", "杭州智联医疗"),
        "浙江省",
        "杭州市",
        ("萧山区金城路438号", "杭州萧山", "萧山区", "金城路438号"),
        "0571",
        "zhilian-med.cn",
    ),
    Company(
        ("北京康瑞医疗科技有限公司", "康瑞医疗（北京）", "北京康瑞医疗", "康瑞医疗科技"),
        "北京市",
        "北京市",
        ("朝阳区建国路88号", "朝阳区", "建国路88号SOHO现代城"),
        "010",
        "kangrui-med.com",
    ),
    Company(
        ("南京鼓楼仁和医疗设备有限公司", "仁和医疗设备(南京)", "南京仁和医疗"),
        "江苏省",
        "南京市",
        ("鼓楼区中山路321号", "鼓楼区", "中山路321号"),
        "025",
        "renhe-md.cn",
    ),
    Company(
        ("福州闽康生物科技有限公司", "闽康生物", "福州闽康生物科技"),
        "福建省",
        "福州市",
        ("鼓楼区五四路158号", "鼓楼区五四路", "五四路158号"),
        "0591",
        "minkang-bio.com",
    ),
    Company(
        ("长春吉医器械有限公司", "吉医器械（长春）有限公司", "长春吉医"),
        "吉林省",
        "长春市",
        ("朝阳区人民大街5688号", "朝阳区", "人民大街5688号"),
        "0431",
        "jiyi-qx.cn",
    ),
    Company(
        ("上海博远骨科材料有限公司", "博远骨科(上海)", "上海博远骨科", "博远骨科材料"),
        "上海市",
        "上海市",
        ("闵行区浦江镇江月路1200号", "闵行区", "江月路1200号"),
        "021",
        "boyuan-ortho.com",
    ),
    Company(
        ("深圳安诺体外诊断试剂有限公司", "安诺诊断（深圳）", "深圳安诺IVD"),
        "广东省",
        "深圳市",
        ("南山区科技园高新南七道", "南山区", "高新南七道"),
        "0755",
        "annuo-ivd.com",
    ),
    Company(
        ("成都天府手术器械有限公司", "天府手术器械(成都)有限公司", "成都天府器械"),
        "四川省",
        "成都市",
        ("高新区天府大道北段1700号", "高新区", "天府大道北段"),
        "028",
        "tianfu-si.cn",
    ),
    Company(
        ("武汉光谷影像设备有限公司", "光谷影像（武汉）", "武汉光谷影像"),
        "湖北省",
        "武汉市",
        ("东湖高新区光谷大道77号", "光谷大道77号"),
        "027",
        "ovalley-img.com",
    ),
    Company(
        ("西安秦康康复器械有限公司", "秦康康复器械", "西安秦康"),
        "陕西省",
        "西安市",
        ("雁塔区科技路48号", "雁塔区", "科技路"),
        "029",
        "qinkang-rehab.cn",
    ),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "军",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "晓东",
)
TITLES = ("", "", "", "经理", "主任", "采购", "总", "工程师")
PRODUCTS = ("骨科耗材", "IVD试剂", "手术器械", "影像设备", "康复器械", "骨科耗材,手术器械")
BUDGETS = (
    "50万",
    "50-100万",
    "≥50万",
    "1.2亿",
    "20万以内",
    "100万元",
    "30~50万",
    "面议",
    "200万+",
    "80万左右",
)
BAD_PHONES = ("1381234", "12345678901", "138-1234-567", "0000000", "暂无", "13800")
REMARKS = ("请尽快联系", "下周三方便沟通", "想要报价单", "已有供应商，比较价格", "医院招标项目", "")


@dataclass(frozen=True)
class NeutralLead:
    company: str | None
    contact: str | None
    phone: str | None
    email: str | None
    province: str
    city: str
    address: str | None
    product: str | None
    budget: str | None
    remark: str
    created_at: datetime


def _mobile(rng: random.Random) -> str:
    digits = rng.choice(("138", "139", "137", "150", "186", "188", "135", "159", "177", "199"))
    digits += "".join(rng.choice("0123456789") for _ in range(8))
    style = rng.randrange(6)
    if style == 0:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 1:
        return f"+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 2:
        return f"+86 {digits}"
    if style == 3:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return digits


def _phone(rng: random.Random, company: Company) -> str | None:
    roll = rng.random()
    if roll < 0.07:
        return rng.choice(BAD_PHONES)
    if roll < 0.20:
        line = "".join(rng.choice("0123456789") for _ in range(4))
        prefix = "8888" if company.landline_area in ("0571", "010", "021") else "6666"
        return rng.choice(
            (f"{company.landline_area}-{prefix}{line}", f"({company.landline_area}){prefix}{line}")
        )
    return _mobile(rng)


def generate_leads(
    seed: int | str, count: int, *, days: int = 24, start: datetime = ANCHOR
) -> list[NeutralLead]:
    """``count`` leads, oldest first, over ``days`` days from ``start``; about one in eight shares its
    submit second with the previous lead (boundary ties), about one in sixteen misses fields."""
    rng = random.Random(f"synchub-sandbox:{seed}")
    seconds = sorted(rng.randrange(days * 86_400) for _ in range(count))
    leads: list[NeutralLead] = []
    previous: datetime | None = None
    for offset in seconds:
        created = start + timedelta(seconds=offset)
        if previous is not None and rng.random() < 0.125:
            created = previous
        previous = created
        company = rng.choice(COMPANIES)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(TITLES)
        missing = rng.random() < 0.0625
        local = rng.choice(("sales", "purchase", "info", "wang", "li", "zhang", "chen"))
        leads.append(
            NeutralLead(
                company=None if missing and rng.random() < 0.5 else rng.choice(company.names),
                contact=None if missing else name,
                phone=None if missing and rng.random() < 0.5 else _phone(rng, company),
                email=f"{local}{rng.randrange(1, 99)}@{company.domain}" if rng.random() < 0.6 else None,
                province=company.province,
                city=company.city,
                address=None if missing else rng.choice(company.addresses),
                product=rng.choice(PRODUCTS) if rng.random() < 0.9 else None,
                budget=rng.choice(BUDGETS) if rng.random() < 0.85 else None,
                remark=rng.choice(REMARKS) + (f" 联系人手机 {_mobile(rng)}" if rng.random() < 0.15 else ""),
                created_at=created,
            )
        )
    return leads
