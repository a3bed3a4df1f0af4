"""Contact names: the person's name with titles and departments split off.

"王总" -> 王 / 总; "王伟(采购部)" -> 王伟 / 采购部; "李经理" -> 李 / 经理; "采购部 王伟" -> 王伟 / 采购部;
"Mr. John Smith" -> John Smith / Mr. Widths are folded, Chinese names lose inner spaces
("王 伟" -> 王伟), Latin names keep one space between words.

One-character titles (总, 工) are only split off a bare surname ("王总", "欧阳总"), since 王建工 is
a name; longer titles (经理, 主任, 采购部) are split off any name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from mapping._text import collapse_spaces, fold, has_cjk, is_cjk, to_simplified

__all__ = ["PersonName", "normalise_person_name"]

_SHORT_TITLES = ("总", "工", "董", "姐", "哥", "师")
# fmt: off
_TITLE_WORDS = {
    "总经理", "副总经理", "副总", "总监", "经理", "副经理", "部长", "主任", "副主任", "主管",
    "科长", "处长", "院长", "副院长", "主任医师", "医生", "医师", "护士长", "老师", "教授",
    "博士", "老板", "董事长", "董事", "总裁", "厂长", "会计", "出纳", "助理", "专员", "秘书",
    "采购", "工程师", "先生", "女士", "小姐", "总工", "老总", "店长", "站长", "组长", "队长",
}
_COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫",
})
# fmt: on
_TITLES = tuple(sorted(_TITLE_WORDS, key=len, reverse=True))
_UNIT = "(?:部|科|处|室|中心|办|组)"
_DEPARTMENT_WORDS = (
    "采购|销售|财务|市场|技术|设备|器械|信息|行政|人事|后勤|医务|医学装备|装备|药剂|检验|总务|招标|"
    "工程|研发|生产|质量|品质|运营|商务|客服|总经|院|临床|护理|耗材|物资|供应"
)
_DEPARTMENT = re.compile(rf"(?:{_DEPARTMENT_WORDS}){_UNIT}$|[\u4e00-\u9fff]{{1,2}}{_UNIT}$")
_DEPARTMENT_SUFFIX = re.compile(rf"(?:{_DEPARTMENT_WORDS}){_UNIT}$")
_LATIN_TITLES = re.compile(r"^(mr|mrs|ms|miss|dr|prof)\.?\s+", re.IGNORECASE)
_BRACKETED = re.compile(r"[(\[【]([^)\]】]*)[)\]】]")
_SEPARATORS = re.compile(r"[/|,;:、-]")


class PersonName(NamedTuple):
    name: str | None
    title: str | None


def normalise_person_name(text: str) -> PersonName:
    """Split ``text`` into a name and a title (either may be None). Never raises: names are optional."""
    cleaned = collapse_spaces(to_simplified(fold(text)))
    titles: list[str] = []

    def take_bracket(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if inner:
            titles.append(inner)
        return " "

    cleaned = collapse_spaces(_BRACKETED.sub(take_bracket, cleaned))
    latin = _LATIN_TITLES.match(cleaned)
    if latin:
        titles.insert(0, latin.group(1).capitalize() + ".")
        cleaned = cleaned[latin.end() :]
    parts = [p for p in (collapse_spaces(x) for x in _SEPARATORS.split(cleaned)) if p]
    if has_cjk(cleaned) and len(parts) == 1 and any(_is_title(p) for p in parts[0].split(" ")):
        parts = parts[0].split(" ")  # "采购部 王伟", "王伟 经理"; but "王 伟" is one name
    name_parts: list[str] = []
    for part in parts:
        if _is_title(part) or (name_parts and part.endswith(_TITLES)):  # "王伟/采购经理"
            titles.append(part)
        else:
            name_parts.append(part)
    if has_cjk(cleaned) and len(name_parts) > 1:  # "李经理/王伟": keep the first, lose nothing
        titles.extend(name_parts[1:])
        name_parts = name_parts[:1]
    name = _join_name(name_parts)
    if name:
        name, title = _split_title(name)
        if title:
            titles.insert(0, title)
    if not any(ch.isalpha() for ch in name):
        name = ""  # "-", "123", "?" are not names
    title_text = " ".join(dict.fromkeys(titles))
    return PersonName(name[:100] or None, title_text[:60] or None)


def _is_title(part: str) -> bool:
    return part in _TITLES or part in _SHORT_TITLES or bool(_DEPARTMENT.fullmatch(part))


def _join_name(parts: list[str]) -> str:
    text = " ".join(parts)
    if has_cjk(text):
        # Drop spaces touching a Chinese character: "王 伟" -> 王伟.
        text = "".join(
            ch
            for i, ch in enumerate(text)
            if ch != " " or not (is_cjk(text[i - 1 : i] or "a") or is_cjk(text[i + 1 : i + 2] or "a"))
        )
    return text


def _split_title(name: str) -> tuple[str, str | None]:
    if not name or not is_cjk(name[-1]):
        return name, None
    department = _DEPARTMENT_SUFFIX.search(name)
    if department and department.start() > 0:  # "王丽采购部"
        return name[: department.start()], department.group(0)
    if name.endswith(_TITLES):  # one C-level test before the loop: most names have no title
        for title in _TITLES:
            if name.endswith(title) and len(name) > len(title):
                return name[: -len(title)], title
    for title in _SHORT_TITLES:
        rest = name[: -len(title)]
        if name.endswith(title) and (len(rest) == 1 or rest in _COMPOUND_SURNAMES):
            return rest, title
    return name, None
