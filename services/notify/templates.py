"""One message template per event; pluggable (:func:`register_template`), so receivable alerts can add
theirs later. A template renders a title and markdown for robots and the parameters of an SMS
template. Contexts carry only masked personal data (``core.redact``): nothing here sees a full phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError

__all__ = ["Template", "get_template", "register_template", "template_keys"]

Context = dict[str, Any]


@dataclass(frozen=True)
class Template:
    key: str
    title: Callable[[Context], str]
    markdown: Callable[[Context], str]
    sms: Callable[[Context], dict[str, str]]


_TEMPLATES: dict[str, Template] = {}


def register_template(template: Template) -> None:
    _TEMPLATES[template.key] = template


def get_template(key: str) -> Template:
    try:
        return _TEMPLATES[key]
    except KeyError:
        raise ConfigError(f"no notification template {key!r}; known: {sorted(_TEMPLATES)}") from None


def template_keys() -> list[str]:
    return sorted(_TEMPLATES)


def _lead_lines(c: Context) -> str:
    return (
        f"- 客户：{c.get('company') or '未填写'}\n"
        f"- 联系人：{c.get('contact') or '-'}（{c.get('phone') or '-'}）\n"
        f"- 预算：{c.get('budget') or '-'}\n- 产品：{c.get('products') or '-'}\n"
        f"- 负责人：{c.get('owner_name') or '-'}（{c.get('team') or '-'}）\n"
        f"- 评分：{c.get('score')}（{c.get('health')}）\n- 规则：{c.get('rule') or '区域'}\n"
        f"- 首次联系截止：{c.get('due') or '-'}\n\n[查看线索]({c.get('link')})"
    )


register_template(Template(
    "new_lead",
    lambda c: f"新线索 #{c['lead_id']}：{c.get('company') or '未填写公司'}",
    lambda c: f"### 新线索 #{c['lead_id']}\n{_lead_lines(c)}",
    lambda c: {"lead": str(c["lead_id"]), "company": str(c.get("company") or "")[:20]},
))  # fmt: skip
register_template(Template(
    "high_budget",
    lambda c: f"高预算线索 #{c['lead_id']}：{c.get('budget')}",
    lambda c: f"### 高预算线索 #{c['lead_id']}（{c.get('budget')}）\n{_lead_lines(c)}",
    lambda c: {"lead": str(c["lead_id"]), "company": str(c.get("company") or "")[:20],
               "budget": str(c.get("budget") or "")},
))  # fmt: skip
register_template(Template(
    "urgent",
    lambda c: f"客户要求立即报价 #{c['lead_id']}",
    lambda c: f"### 客户要求立即报价 #{c['lead_id']}\n{_lead_lines(c)}",
    lambda c: {"lead": str(c["lead_id"]), "company": str(c.get("company") or "")[:20]},
))  # fmt: skip
register_template(Template(
    "escalation",
    lambda c: f"超时未联系 #{c['lead_id']}：已升级",
    lambda c: (f"### 线索 #{c['lead_id']} 超过 {c.get('sla_minutes')} 分钟未联系，已升级给 "
               f"{c.get('supervisor_name')}\n{_lead_lines(c)}\n\n{c.get('reassigned') or ''}"),
    lambda c: {"lead": str(c["lead_id"]), "owner": str(c.get("owner_name") or "")[:20]},
))  # fmt: skip
register_template(Template(
    "digest",
    lambda c: f"汇总：{c['count']} 条提醒",
    lambda c: f"### 汇总：{c['count']} 条提醒（合并发送）\n" + "\n".join(f"- {t}" for t in c["titles"]),
    lambda c: {"count": str(c["count"])},
))  # fmt: skip
register_template(Template(
    "source_silent",
    lambda c: f"数据源静默：{c['source']}",
    lambda c: (f"### 数据源 {c['source']} 已 {c.get('silent_min', '?')} 分钟没有新数据\n"
               f"- 预期间隔：{c.get('expected_min')} 分钟\n"
               f"- 最后一次新数据：{c.get('last_delivery_at') or '从未'}\n\n"
               "请检查授权令牌、接口配额和拉取任务（synchub status）。"),
    lambda c: {"source": str(c["source"])[:20]},
))  # fmt: skip
register_template(Template(
    "flow_failed",
    lambda c: f"流程失败：{c['run']}",
    lambda c: (f"### 流程 {c['run']}（{c['flow']}）运行失败\n"
               f"- 状态：{c['state']}\n"
               f"- 原因：{c.get('error') or '未知'}\n"
               + (f"- 查看运行：[Prefect]({c['link']})\n" if c.get("link") else "")
               + "\n该任务恢复之前的后续失败将合并为汇总发送。"),
    lambda c: {"flow": str(c["run"])[:20]},
))  # fmt: skip
register_template(Template(
    "owned_elsewhere",
    lambda c: f"辖区线索归属老客户负责人 #{c['lead_id']}",
    lambda c: (f"### 线索 #{c['lead_id']} 来自本辖区，但客户已有负责人，已分配给 {c.get('owner_name')}"
               f"（{c.get('team')}）\n{_lead_lines(c)}"),
    lambda c: {"lead": str(c["lead_id"]), "owner": str(c.get("owner_name") or "")[:20]},
))  # fmt: skip
register_template(Template(
    "handover",
    lambda c: f"客户移交给 {c.get('owner_name')}：{c.get('company') or '客户'}",
    lambda c: (f"### 客户 {c.get('company') or c.get('customer_id')} 已移交给 {c.get('owner_name')}\n"
               f"- 原负责人：{c.get('previous_name') or '-'}\n- 原因：{c.get('why') or '-'}\n"
               f"- 待跟进线索：{c.get('open_leads', 0)} 条（未联系的已重新计时）\n\n"
               f"[客户历史]({c.get('link')})"),
    lambda c: {"customer": str(c.get("company") or "")[:20], "owner": str(c.get("owner_name") or "")[:20]},
))  # fmt: skip
