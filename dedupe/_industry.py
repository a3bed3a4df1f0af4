"""Industry families and trade stems: one company writes its industry word several ways.

One company's records say 医疗器械, 医械, 医疗科技 or 医疗 (sales staff shorten, registrars vary), so
two industry *words* differing is weak evidence; two industry *families* differing (医械 against 物流)
is strong. Generic words (科技, 技术, 实业, 贸易, ...) name no family: they tell nothing.

The stem is the core without every trailing industry word (特胜农业科技 -> 特胜), so 特胜农业 and
特胜农业科技 share the stem 特胜.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["GENERIC", "family", "stem_and_family"]

# fmt: off
_FAMILIES: dict[str, tuple[str, ...]] = {
    "医": ("医械", "医疗器械", "医疗科技", "医疗设备", "医疗用品", "医疗器材", "医疗", "医药科技", "医药",
           "药业", "制药", "生物", "生物医药", "生物工程", "生物科技", "生物技术", "诊断", "诊断技术",
           "试剂", "健康", "健康管理", "医用"),
    "院": ("医院", "诊所", "卫生院", "人民医院", "中医院", "妇幼保健院"),
    "电": ("电子", "电子科技", "电气", "光电", "电器", "电力", "光电科技", "半导体", "微电子"),
    "机": ("机械", "机电", "设备", "自动化", "自动化设备", "精密机械", "机械设备", "装备", "重工"),
    "化": ("化工", "新材料", "材料", "化学", "精细化工", "塑胶", "塑料", "建材", "新型建材", "装饰材料"),
    "软": ("软件", "信息", "网络科技", "网络", "数据", "数据科技", "智能科技", "信息技术", "云计算"),
    "建": ("建设", "建筑", "工程", "建筑工程", "装饰", "装饰工程"),
    "运": ("物流", "供应链管理", "供应链", "运输", "货运", "快递", "仓储"),
    "媒": ("文化传媒", "传媒", "广告", "文化"),
    "食": ("食品", "农业", "农业科技", "食品科技", "饮料", "餐饮"),
    "能": ("能源", "新能源", "环保", "环保科技"),
    "车": ("汽车", "汽配"),
    "教": ("大学", "学院", "研究院", "研究所"),
}
GENERIC: frozenset[str] = frozenset((
    "科技", "技术", "实业", "贸易", "商贸", "服务", "投资", "投资管理", "咨询", "管理咨询", "发展",
    "中心", "电商", "科技发展", "国际贸易", "管理", "控股",
))
# fmt: on
_FAMILY_OF: dict[str, str] = {word: name for name, words in _FAMILIES.items() for word in words}
_WORDS = tuple(sorted([*_FAMILY_OF, *GENERIC], key=len, reverse=True))


def family(word: str | None) -> str | None:
    """The family of an industry word (医械 -> 医), None for a generic or unknown one."""
    return _FAMILY_OF.get(word) if word else None


@lru_cache(maxsize=1 << 18)
def stem_and_family(core: str) -> tuple[str, str | None]:
    """The core without its trailing industry words (at least two characters stay), and the family of
    the first specific one met (generic words are skipped)."""
    found: str | None = None
    changed = True
    while changed:
        changed = False
        for word in _WORDS:
            if core.endswith(word) and len(core) - len(word) >= 2:
                found = found or _FAMILY_OF.get(word)
                core = core[: -len(word)]
                changed = True
                break
    return core, found
