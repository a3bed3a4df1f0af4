"""Chinese labels for the codes the hub stores (statuses, stages, comparison levels); a code without
a label is shown as it is, so a new status never breaks a page."""

from __future__ import annotations

__all__ = ["LABELS", "label"]

LABELS: dict[str, dict[str, str]] = {
    "installment": {
        "scheduled": "待推送",
        "pushed": "已推送",
        "invoiced": "已开票",
        "partially_paid": "部分回款",
        "paid": "已回款",
        "overdue": "逾期",
        "written_off": "已核销",
    },
    "contract": {"signed": "已签约", "cancelled": "已作废", "closed": "已关闭"},
    "stage": {
        "new": "新线索",
        "assigned": "已分配",
        "contacted": "已联系",
        "qualified": "需求确认",
        "proposal": "方案报价",
        "won": "赢单",
        "lost": "输单",
    },
    "candidate": {"pending": "待审核", "approved": "已合并", "rejected": "已驳回"},
    "decision": {"merge": "自动合并", "review": "人工审核", "distinct": "不同客户"},
    "level": {
        "null": "缺失",
        "exact": "完全一致",
        "homophone": "同音",
        "trade": "字号相同",
        "fuzzy_high": "高度相似",
        "fuzzy": "相似",
        "else": "不同",
        "same_province": "同省不同市",
        "other_city": "不同城市",
        "other_province": "不同省份",
        "domain": "同一域名",
        "surname": "同姓",
    },
    "guard": {"another city or province": "两家位于不同城市或省份，需人工确认"},
    "customer": {"active": "有效", "merged": "已合并"},
    "action": {
        "insert": "新增",
        "update": "修改",
        "delete": "删除",
        "merge": "合并",
        "unmerge": "拆分",
        "erase": "擦除个人信息",
        "route": "分配",
    },
}


def label(code: str | None, kind: str) -> str:
    if code is None:
        return "—"
    return LABELS.get(kind, {}).get(code, code)
