"""Finding the header row: exports often open with a title, an export date and blank rows.

The header is the first row where most non-empty cells look like column names (a name the caller
knows, or a short label containing a usual header word) unless an earlier row of short labels is at
least as wide; else the first row with several short text cells followed by data; else the first
non-empty row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

__all__ = ["HEADER_SCAN_ROWS", "find_header", "header_key", "unique_headers"]

HEADER_SCAN_ROWS = 30
_HINTS = (
    "名称", "姓名", "联系人", "电话", "手机", "邮箱", "地址", "地区", "省", "城市", "产品", "预算",
    "备注", "说明", "代码", "时间", "日期", "来源", "渠道", "公司", "客户", "单位", "职务", "职位",
    "编号", "序号", "金额", "name", "phone", "mobile", "tel", "email", "mail", "company", "address",
    "city", "province", "product", "budget", "remark", "note", "date", "source", "campaign", "id",
)  # fmt: skip
_NOISE = re.compile(r"[\s*:：]")
_NUMBERISH = re.compile(r"[\d\s.,:/+\-()%年月日]+")


def header_key(text: str) -> str:
    """Folded, case-folded, without spaces, asterisks and colons: how header names are compared."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _looks_like_label(cell: str) -> bool:
    return len(cell) <= 30 and not _NUMBERISH.fullmatch(cell) and "@" not in cell


def _header_like(cell: str, known: Collection[str]) -> bool:
    key = header_key(cell)
    if key in known:
        return True
    return len(key) <= 12 and _looks_like_label(cell) and any(hint in key for hint in _HINTS)


def _is_label_row(cells: Sequence[str], min_width: int) -> bool:
    return len(cells) >= max(2, min_width) and all(_looks_like_label(c) for c in cells)


def find_header(rows: Sequence[Sequence[str]], known: Collection[str] = ()) -> int | None:
    """Index into ``rows`` of the header row; None if every row is empty."""
    known_keys = {header_key(k) for k in known}
    filled = [[c for c in row if c] for row in rows]
    for i, cells in enumerate(filled):
        hits = sum(_header_like(c, known_keys) for c in cells)
        if len(cells) >= 2 and hits >= 2 and hits * 2 >= len(cells):
            # An earlier row of labels at least as wide is the real header (of words we don't know);
            # title and "exported at" rows above a table are narrower than it.
            return next((j for j in range(i) if _is_label_row(filled[j], len(cells))), i)
    for i, cells in enumerate(filled):
        if _is_label_row(cells, 2) and any(filled[i + 1 :]):  # followed by data
            return i
    return next((i for i, cells in enumerate(filled) if cells), None)


def unique_headers(cells: Sequence[str]) -> list[str]:
    """Header names as written, blanks named ``column N`` and repeats made unique: 电话, 电话 (2)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for n, cell in enumerate(cells, start=1):
        name = cell or f"column {n}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
