"""Survivorship: which member's value each field of the golden record takes.

| rule | the value taken |
|---|---|
| most_frequent | the non-empty value most members share (ties: the most recent of them) |
| most_recent | the non-empty value of the most recently updated member |
| source_priority | the non-empty value from the most trusted source (``SOURCE_PRIORITY``) |
| golden_first | the golden member's own value, else the most recent non-empty one |

Fields without a rule keep the golden member's own value. Pure: the store layer feeds members'
states in and writes the result (and who won each field) to the cluster.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["FIELD_RULES", "SOURCE_PRIORITY", "MemberState", "survive"]

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
    "name": "most_frequent",
    "uscc": "most_frequent",
    "industry": "most_frequent",
    "phone": "most_recent",
    "email": "most_recent",
    "address": "most_recent",
    "adcode": "source_priority",
    "province": "source_priority",
    "city": "source_priority",
    "district": "source_priority",
    "owner": "golden_first",
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


def _winner(rule: str, field: str, members: Sequence[MemberState], golden_id: int) -> MemberState | None:
    having = [m for m in members if not _empty(m.values.get(field))]
    if not having:
        return None
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
            winners[field] = {"member": won.id, "rule": rule}
    for field, leader in _FOLLOWS.items():
        if field in golden.values and leader in winners:
            source = next(m for m in members if m.id == winners[leader]["member"])
            values[field] = source.values.get(field)
            winners[field] = {"member": source.id, "rule": f"follows {leader}"}
    return values, winners
