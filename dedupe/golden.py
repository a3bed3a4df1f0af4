"""Survivorship: which member's value each field of the golden record takes.

| rule | the value taken |
|---|---|
| most_complete_name | the most complete registered name: one with a legal form (有限公司...) over one
  without, then one with a region, then the one most members share, then the longer (a trade name
  such as 仁和医疗设备(南京) never replaces 南京鼓楼仁和医疗设备有限公司) |
| most_frequent | the non-empty value most members share (ties: the most recent of them) |
| most_recent | the non-empty value of the most recently updated member |
| source_priority | the non-empty value from the most trusted source (``SOURCE_PRIORITY``) |
| golden_first | the golden member's own value, else the most recent non-empty one |

Fields without a rule keep the golden member's own value. Phone and e-mail are the golden's own (a
member's become contacts of the golden customer, see ``dedupe.contacts``), filled from a member only
when the golden has none. Pure: the store layer feeds members' states in and writes the result (per
field the member that won it, the rule and why, in words) to the cluster.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mapping import company_core

__all__ = ["FIELD_RULES", "RULE_REASONS", "SOURCE_PRIORITY", "MemberState", "name_completeness", "survive"]

SOURCE_PRIORITY: tuple[str, ...] = (
    "erp",
    "crm",
    "kingdee",
    "yonyou",
    "excel",
    "trade_show",
    "web_form",
    "website",
)
FIELD_RULES: dict[str, str] = {
    "name": "most_complete_name",
    "uscc": "most_frequent",
    "industry": "most_frequent",
    "phone": "golden_first",
    "email": "golden_first",
    "address": "most_recent",
    "adcode": "source_priority",
    "province": "source_priority",
    "city": "source_priority",
    "district": "source_priority",
    "owner": "golden_first",
}
RULE_REASONS: dict[str, str] = {
    "most_complete_name": "most complete registered name",
    "most_frequent": "the value most members share",
    "most_recent": "the most recently updated member's value",
    "source_priority": "the most trusted source's value",
    "golden_first": "the golden customer's own value",
}
_FOLLOWS = {"name_norm": "name"}  # takes its value from the member that won the other field
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MemberState:
    id: int
    values: dict[str, Any]
    updated_at: datetime | None = None
    source: str | None = None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _recency(m: MemberState) -> tuple[datetime, int]:
    return (m.updated_at or _EPOCH, m.id)


def _source_rank(m: MemberState) -> int:
    return SOURCE_PRIORITY.index(m.source) if m.source in SOURCE_PRIORITY else len(SOURCE_PRIORITY)


def name_completeness(name: str) -> tuple[bool, bool]:
    """(has a legal form, has a region) of a company name, as ``mapping.company_core`` reads it."""
    parts = company_core(name)
    return parts.legal_form is not None, parts.region is not None


def _name_reason(name: str, others: list[str]) -> str:
    """Why this name won, in words: what it has that the others lack."""
    parts = company_core(name)
    has = [f"legal form {parts.legal_form}"] if parts.legal_form else []
    has += [f"region {parts.region}"] if parts.region else []
    losers = [n for n in others if n and n != name]
    detail = ", ".join(has) if has else "no registered name among the members"
    return f"{RULE_REASONS['most_complete_name']} ({detail})" + (
        f" over {', '.join(sorted(set(losers)))}" if losers else ""
    )


def _winner(rule: str, field: str, members: Sequence[MemberState], golden_id: int) -> MemberState | None:
    having = [m for m in members if not _empty(m.values.get(field))]
    if not having:
        return None
    if rule == "most_complete_name":
        counts = Counter(m.values[field] for m in having)
        return max(
            having,
            key=lambda m: (
                not _empty(m.values.get("name_norm")),  # a company's name over a person's (no company)
                *name_completeness(str(m.values[field])),
                counts[m.values[field]],
                len(str(m.values[field]).strip()),
                m.id == golden_id,
                _recency(m),
            ),
        )
    if rule == "most_frequent":
        counts = Counter(m.values[field] for m in having)
        return max(having, key=lambda m: (counts[m.values[field]], _recency(m)))
    if rule == "source_priority":
        return max(having, key=lambda m: (-_source_rank(m), _recency(m)))
    if rule == "golden_first":
        own = [m for m in having if m.id == golden_id]
        return own[0] if own else max(having, key=_recency)
    return max(having, key=_recency)


def survive(
    members: Sequence[MemberState], golden_id: int
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The golden values per field, and per field the member that won it and by which rule."""
    if not members:
        raise ValueError("a cluster has at least one member")
    golden = next((m for m in members if m.id == golden_id), members[0])
    values = dict(golden.values)
    winners: dict[str, dict[str, Any]] = {}
    for field, rule in FIELD_RULES.items():
        if field not in golden.values:
            continue
        won = _winner(rule, field, members, golden_id)
        if won is not None:
            values[field] = won.values[field]
            why = RULE_REASONS[rule]
            if rule == "most_complete_name":
                why = _name_reason(str(won.values[field]), [str(m.values.get(field) or "") for m in members])
            elif rule == "golden_first" and won.id != golden.id:
                why = "the golden customer has none: the most recent member's value"
            winners[field] = {"member": won.id, "rule": rule, "why": why}
    for field, leader in _FOLLOWS.items():
        if field in golden.values and leader in winners:
            source = next(m for m in members if m.id == winners[leader]["member"])
            values[field] = source.values.get(field)
            winners[field] = {"member": source.id, "rule": f"follows {leader}", "why": f"taken with {leader}"}
    return values, winners
