"""The messages the services write (quarantine reasons, dead ERP pushes' errors, dedupe guards, ledger
reasons) as patterns with their Chinese: part of the catalogue in ``hub.web.labels``, which applies them
(:func:`hub.web.labels.reason`)."""

from __future__ import annotations

import re

from hub.web.label_fields import FIELDS

__all__ = ["REASONS", "WHAT"]

_FIELD_NAMES = "|".join(sorted(FIELDS, key=len, reverse=True))

# Free-text messages the services write, most specific first: (pattern, Chinese). ``{field}`` is
# replaced by the Chinese name of the pattern's ``field`` group, ``{n}`` / ``{who}`` by those groups.
REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), text)
    for p, text in [
        # quarantine (mapping.MappingError, services.intake.lander)
        (r"^no phone, email, company or USCC to identify the lead",
         "无法识别线索：电话、邮箱、公司、统一社会信用代码都没有可用的值"),
        (r"^external_id is missing", "缺少外部编号"),
        (r"^payload must be a JSON object", "原始数据不是 JSON 对象"),
        (r"^could not be stored", "无法写入数据库"),
        (r"^(kingdee|yonyou): \w+ is not a (number|date|time)", "ERP 返回的数据格式不对"),
        (rf"^(?P<field>{_FIELD_NAMES}) is (empty|invalid|not)", "{field}无效"),
        (rf"^(?P<field>{_FIELD_NAMES}) (must|has|contains|unit|\W)", "{field}无效"),
        (r"^lead is invalid", "线索数据无效"),
        # dead ERP pushes (services.finance.outbox)
        (r"^fatal: ", "ERP 拒绝，且不可重试"),
        (r"^gave up after (?P<n>\d+) attempts", "重试 {n} 次后放弃"),
        (r"^worker (?P<who>\S+) lost after (?P<n>\d+) attempts", "处理进程失联，已尝试 {n} 次"),
        # dedupe guards
        (r"^would join clusters of another (?P<what>\w+)", "合并会把不同{what}的客户簇连在一起"),
        # reasons the services write into the ledger
        (r"^first contact overdue", "首次联系超时"),
        (r"^retried from the console", "在控制台重试"),
        (r"^replayed from the console", "在控制台重放"),
        (r"^scheduled quarantine replay", "定时重放隔离区"),
        (r"^scheduled ERP reconcile", "定时与 ERP 对账"),
        (r"^receivable alerts", "应收提醒"),
        (r"^match new leads to customers", "新线索匹配客户"),
        (r"^full dedupe run", "全量客户去重"),
        (r"^routing$", "线索分配"),
        (r"^sla watch", "首次联系时限检查"),
        (r"^rule (?P<who>\S+)", "分配规则 {who}"),
        (r"^first assigned lead #(?P<n>\d+)", "首条分配的线索 #{n}"),
        (r"^customers merged: moved to (?P<who>\S+)", "客户合并，已移交给 {who}"),
        (r"^customers merged", "客户合并"),
        (r"^customers unmerged", "客户拆分"),
        (r"^approved in review", "审核通过合并"),
        (r"^automatic merge", "自动合并"),
        (r"^unmerged in review", "审核中拆分"),
        (r"^(?P<who>\S+) left: moved to (?P<to>\S+)", "{who} 离职，已移交给 {to}"),
        (r"^(?P<who>\S+) left$", "{who} 离职"),
        (r"^(?P<who>\S+) is back$", "{who} 复职"),
    ]
]  # fmt: skip
WHAT = {"industry": "行业", "province": "省份", "city": "城市", "uscc": "信用代码"}
