"""The console's catalogue: the Chinese a person reads for every code the hub stores.

Stored values stay English (statuses, stages, actions, source kinds, field names, reasons written by
the services); the console translates them when it renders a page, through the Jinja filters
``label``, ``entity``, ``field``, ``value`` and ``reason`` (``hub.web.render``). A code without an
entry is shown as it is, so a new status never breaks a page; ``tests/web/test_console_chinese.py``
lists every code the models declare and fails on the ones missing here.

Free text (a quarantine reason, a dead ERP push's error, a dedupe guard, a ledger reason) is matched
against :data:`REASONS`, patterns of the messages the services write; the page shows the Chinese and
keeps the original in a tooltip.
"""

from __future__ import annotations

from typing import Any

from hub.web.label_fields import ENTITIES, FIELDS
from hub.web.label_reasons import REASONS, WHAT

__all__ = ["CODED", "ENTITIES", "FIELDS", "LABELS", "REASONS", "entity", "field", "label", "reason", "value"]

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
    # the category keys of mapping/data/products.toml
    "product": {
        "ortho_consumables": "骨科耗材",
        "ivd_reagents": "体外诊断",
        "surgical_instruments": "手术器械",
        "rehab_equipment": "康复器械",
        "imaging_equipment": "影像设备",
        "medical_consumables": "医用耗材",
        "life_support": "生命支持",
        "dental_equipment": "口腔设备",
        "endoscopy": "内镜",
        "medical_devices": "医疗设备",
    },
    "decision": {"merge": "自动合并", "review": "人工审核", "distinct": "不同客户"},
    "level": {
        "null": "缺失",
        "exact": "完全一致",
        "exact_city": "同城同名",
        "exact_elsewhere": "异地同名",
        "short": "简称",
        "shared": "共用总机",
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
    "guard": {
        "another city or province": "两家位于不同城市或省份，需人工确认",
        "no identifying field agrees": "名称、电话、邮箱、公司没有一项一致，需人工确认",
        "different USCC": "统一社会信用代码不同",
        "another industry": "两家行业不同，需人工确认",
        "cluster guard": "合并会把两个不相容的客户簇连在一起",
    },
    "customer": {"active": "有效", "merged": "已合并"},
    "person": {"active": "在职", "left": "已离职"},
    "action": {
        "insert": "新增",
        "update": "修改",
        "delete": "删除",
        "merge": "合并",
        "unmerge": "拆分",
        "erase": "擦除个人信息",
        "route": "分配",
        "escalate": "升级",
        "handover": "移交",
        "leave": "离职",
        "return": "复职",
        "claim": "认领",
        "contacted": "首次联系",
        "stage": "阶段变更",
        "contract_signed": "合同登记",
        "erp_push": "推送 ERP",
        "status_refused": "拒绝状态回退",
    },
    "outbox": {
        "pending": "待发送",
        "in_flight": "发送中",
        "done": "已完成",
        "dead": "死信",
        "cancelled": "已取消",
    },
    "quarantine_stage": {"landing": "入库", "mapping": "字段映射", "geocode": "地理编码", "push": "推送"},
    "quarantine": {
        "open": "待处理",
        "replayed": "已重放",
        "superseded": "已被新数据取代",
        "discarded": "已丢弃",
    },
    "source_kind": {
        "ocean_engine": "巨量引擎",
        "tencent_ads": "腾讯广告",
        "baidu": "百度营销",
        "excel": "Excel 导入",
        "web_form": "官网表单",
        "client": "接口客户端",
    },
    "geocode": {
        "pending": "待编码",
        "resolved": "已定位",
        "awaiting_geocode": "等待地理编码",
        "failed": "定位失败",
    },
    "health": {"green": "良好", "yellow": "关注", "red": "危险"},
    "phone_kind": {"mobile": "手机", "landline": "座机", "other": "其他"},
    "payment_kind": {"receipt": "收款", "write_off": "核销"},
    "invoice_kind": {"special": "增值税专用发票", "ordinary": "增值税普通发票"},
    "alert_kind": {"not_invoiced": "未开票", "overdue": "逾期"},
    "delivery": {"pending": "待发送", "sent": "已发送", "failed": "发送失败", "folded": "已合并发送"},
    "channel": {"dingtalk": "钉钉", "wecom": "企业微信", "sms": "短信"},
    "rule_kind": {"rules": "分配规则", "territories": "区域与团队"},
    "raw": {"landed": "已入库", "mapped": "已映射", "quarantined": "已隔离"},
    "erp": {"kingdee": "金蝶", "yonyou": "用友"},
    "decider": {"auto": "系统自动"},
    "match": {  # why a search hit matched (services.search.WHY)
        "entity_key": "对象键",
        "contract_number": "合同号相同",
        "lead_id": "线索编号",
        "phone": "电话相同",
        "contact_phone": "联系人电话相同",
        "name": "公司名称相同",
        "homophone": "名称同音",
        "trade_name": "字号相同",
        "contract_number_part": "合同号包含",
        "similar_name": "名称相近",
        "name_part": "名称包含",
        "lead_id_bare": "可能是线索编号",
    },
}

# (entity type, field) -> the LABELS kind its values come from, for values shown in the audit history
CODED: dict[tuple[str, str], str] = {
    ("customer", "status"): "customer",
    ("lead", "stage"): "stage",
    ("lead", "geocode_status"): "geocode",
    ("lead", "health"): "health",
    ("lead", "phone_kind"): "phone_kind",
    ("match_candidate", "status"): "candidate",
    ("match_candidate", "decision"): "decision",
    ("match_candidate", "decided_by"): "decider",
    ("contract", "status"): "contract",
    ("receivable_installment", "status"): "installment",
    ("invoice", "kind"): "invoice_kind",
    ("payment", "kind"): "payment_kind",
    ("finance_alert", "kind"): "alert_kind",
    ("finance_alert", "status"): "delivery",
    ("source", "kind"): "source_kind",
    ("raw_record", "status"): "raw",
    ("quarantined_record", "stage"): "quarantine_stage",
    ("quarantined_record", "status"): "quarantine",
    ("outbox_message", "status"): "outbox",
    ("notification_log", "channel"): "channel",
    ("notification_log", "status"): "delivery",
    ("routing_rule_set", "kind"): "rule_kind",
    ("person_status", "status"): "person",
    ("receivable_installment", "erp_system"): "erp",
    ("invoice", "erp_system"): "erp",
    ("payment", "erp_system"): "erp",
}


def label(code: str | None, kind: str) -> str:
    """The Chinese for ``code`` of ``kind`` (a key of :data:`LABELS`); the code itself when unknown."""
    if code is None:
        return "—"
    return LABELS.get(kind, {}).get(code, code)


def entity(entity_type: str | None) -> str:
    """``customer`` -> 客户: the name of a ledger entity type."""
    if entity_type is None:
        return "—"
    return ENTITIES.get(entity_type, entity_type)


def field(name: str | None) -> str:
    """``sla_due_at`` -> 首次联系截止时间: the name of a field (a column, or an event's key)."""
    if name is None:
        return "—"
    return FIELDS.get(name, name)


def value(shown: Any, entity_type: str, name: str) -> Any:
    """A field's value as shown: a code of a coded field (``CODED``) translated, free text matched
    against ``REASONS``, anything else unchanged."""
    if not isinstance(shown, str):
        return shown
    kind = CODED.get((entity_type, name))
    if kind is not None:
        return label(shown, kind)
    if name in ("error", "last_error", "reason", "note"):
        return reason(shown)
    return shown


def reason(text: str | None) -> str:
    """A message a service wrote (quarantine reason, ERP error, dedupe guard, ledger reason) in
    Chinese, or the text itself when no pattern of :data:`REASONS` knows it."""
    if not text:
        return "—"
    stripped = text.strip()
    for kind in ("guard",):
        if stripped in LABELS[kind]:
            return LABELS[kind][stripped]
    for pattern, template in REASONS:
        found = pattern.search(stripped)
        if found:
            groups = found.groupdict()
            return template.format(
                field=field(groups.get("field")),
                what=WHAT.get(groups.get("what") or "", groups.get("what") or ""),
                n=groups.get("n") or "",
                who=groups.get("who") or "",
                to=groups.get("to") or "",
            )
    return text
