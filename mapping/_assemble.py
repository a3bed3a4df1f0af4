"""Raw field values -> a validated :class:`CanonicalLead`, one normaliser per field.

The rule for bad values: an optional field that cannot be read is left empty and its raw text goes
into ``remark`` (labelled in Chinese, for the salesperson who reads it); the lead is kept. Only a
missing id, or a lead with no phone, e-mail, company or USCC left, raises :class:`MappingError`.
What was kept that way is also returned as :class:`Findings`, for a summary to count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from core.errors import MappingError
from mapping._text import collapse_spaces, fold, to_text
from mapping.budget import parse_budget
from mapping.canonical import CanonicalLead
from mapping.channel import clean_campaign, clean_channel
from mapping.company import normalise_company
from mapping.email_address import normalise_email
from mapping.person import normalise_person_name
from mapping.phone import normalise_phone
from mapping.products import ProductCatalog
from mapping.region import split_region
from mapping.timestamps import parse_timestamp
from mapping.uscc import validate_uscc

__all__ = ["Findings", "assemble"]

IDENTIFIERS = ("phone", "email", "company", "uscc")
_SEVERAL = re.compile(r"[/,;、|，；]|或")
_LABELS = {
    "phone": "电话",
    "email": "邮箱",
    "uscc": "信用代码",
    "budget": "预算",
    "products": "意向产品",
    "submitted_at": "提交时间",
    "company": "公司",
    "address": "地址",
    "contact_name": "联系人",
    "contact_title": "职务",
    "campaign": "广告计划",
    "channel": "渠道",
    "province_hint": "省份",
    "city_hint": "城市",
}


@dataclass(frozen=True, slots=True)
class Findings:
    """What one record's mapping kept in the remark instead of using."""

    unread: tuple[str, ...] = ()  # targets whose value could not be read (budget, submitted_at ...)
    unknown_products: tuple[str, ...] = ()  # product words the vocabulary does not know


class _Draft:
    def __init__(self, raw: Mapping[str, Any], sources: Mapping[str, str]) -> None:
        self.raw, self.sources = raw, sources
        self.out: dict[str, Any] = {}
        self.notes: list[str] = []
        self.problems: dict[str, str] = {}
        self.unread: list[str] = []
        self.unknown_products: list[str] = []
        self._texts: dict[str, str] = {}

    def text(self, target: str) -> str:
        """The raw value of ``target`` as text (asked for several times per record: kept)."""
        if (text := self._texts.get(target)) is None:
            text = self._texts[target] = to_text(self.raw.get(target))
        return text

    def keep_raw(self, target: str, reason: str | None = None) -> None:
        """Record that ``target`` could not be used: its raw text goes into the remark."""
        self.notes.append(f"{_LABELS.get(target, target)}(无法识别): {self.text(target)}")
        self.unread.append(target)
        if reason is not None:
            where = self.sources.get(target)
            self.problems[target] = f"{reason} (from {where})" if where else reason

    def attempt(self, target: str, parse: Callable[[str], Any]) -> Any:
        text = self.text(target)
        if not text:
            return None
        try:
            return parse(text)
        except MappingError as exc:
            self.keep_raw(target, str(exc))
            return None


def assemble(
    raw: Mapping[str, Any],
    external_id: str | None,
    catalog: ProductCatalog,
    sources: Mapping[str, str],
    *,
    budget_unit: str | None = None,
) -> tuple[CanonicalLead, Findings]:
    """``raw`` maps canonical targets to payload values; ``sources`` names where each came from;
    ``budget_unit`` is the unit a spreadsheet header gives the budget ("万" for "预算(万元)")."""
    draft = _Draft(raw, sources)
    out = draft.out
    ext = (external_id or draft.text("external_id")).strip()
    if not ext:
        where = sources.get("external_id", "the caller")
        raise MappingError(f"external_id is missing: nothing at {where}", field="external_id")
    out["external_id"] = ext[:200]
    if phone := draft.attempt("phone", normalise_phone):
        out["phone"], out["phone_kind"] = phone.e164, phone.kind
        if phone.extension:  # E.164 has no room for it; the salesperson dialling needs it
            draft.notes.append(f"{_LABELS['phone']}分机: {phone.extension}")
        if _SEVERAL.search(draft.text("phone")):  # "138.../139...": the first is used, keep the rest
            draft.notes.append(f"{_LABELS['phone']}(原文): {draft.text('phone')}")
    if email := draft.attempt("email", normalise_email):
        out["email"] = email.address
    out["uscc"] = draft.attempt("uscc", validate_uscc)
    out["company"] = normalise_company(draft.text("company")) or None
    person = normalise_person_name(draft.text("contact_name"))
    explicit_title = collapse_spaces(fold(draft.text("contact_title")))
    out["contact_name"] = person.name
    out["contact_title"] = " ".join(t for t in (explicit_title, person.title) if t)[:60] or None
    out["address"] = collapse_spaces(fold(draft.text("address"))) or None
    _region(draft)
    if budget := draft.attempt("budget", lambda text: parse_budget(text, budget_unit)):
        out["budget_min"], out["budget_max"] = budget.min, budget.max
    _products(draft, catalog)
    out["channel"] = clean_channel(draft.text("channel"))
    out["campaign"] = clean_campaign(draft.text("campaign"))
    if raw.get("submitted_at") not in (None, ""):
        try:
            out["submitted_at"] = parse_timestamp(raw["submitted_at"])
        except MappingError as exc:
            draft.keep_raw("submitted_at", str(exc))
    if not any(out.get(name) for name in IDENTIFIERS):
        reasons = "; ".join(draft.problems[n] for n in IDENTIFIERS if n in draft.problems)
        field = next((n for n in IDENTIFIERS if n in draft.problems), "phone")
        raise MappingError(
            "no phone, email, company or USCC to identify the lead" + (f": {reasons}" if reasons else ""),
            field=field,
        )
    lead = _validated(draft)
    return lead, Findings(tuple(dict.fromkeys(draft.unread)), tuple(draft.unknown_products))


def _region(draft: _Draft) -> None:
    hints = split_region(draft.text("region"))
    province, city = hints.province, hints.city
    if province_text := draft.text("province_hint"):
        province = split_region(province_text).province or province_text
    if city_text := draft.text("city_hint"):
        from_city = split_region(city_text)
        city = from_city.city or city_text
        province = province or from_city.province
    draft.out["province_hint"], draft.out["city_hint"] = province, city


def _products(draft: _Draft, catalog: ProductCatalog) -> None:
    value = draft.raw.get("products")
    texts = [to_text(v) for v in value] if isinstance(value, list | tuple) else [to_text(value)]
    texts = [t for t in texts if t]
    if not texts:
        draft.out["products"] = []
        return
    keys, unknown = catalog.read(texts)
    draft.out["products"] = keys
    remark = draft.text("remark")  # a vendor may read products from the remark: not said twice
    draft.unknown_products = [word for word in unknown if word not in remark]
    if draft.unknown_products:
        draft.notes.append(f"{_LABELS['products']}(未识别): {'、'.join(draft.unknown_products)}")


def _validated(draft: _Draft) -> CanonicalLead:
    """Build the lead; an optional field the model still rejects (too long...) moves to the remark."""
    out = draft.out
    for _ in range(len(out)):
        remark = " | ".join(t for t in (draft.text("remark"), *draft.notes) if t)
        try:
            return CanonicalLead(**{k: v for k, v in out.items() if v is not None}, remark=remark or None)
        except ValidationError as exc:
            error = exc.errors()[0]
            target = str(error["loc"][0]) if error["loc"] else ""
            if target in ("", "external_id") or target not in out or out[target] is None:
                raise MappingError(f"lead is invalid: {error['msg']}", field=target or None) from exc
            draft.notes.append(f"{_LABELS.get(target, target)}(无法识别): {to_text(out.pop(target))}")
            draft.unread.append(target)
            if target in IDENTIFIERS and not any(out.get(n) for n in IDENTIFIERS):
                raise MappingError(f"{target} is invalid: {error['msg']}", field=target) from exc
    raise MappingError("lead is invalid")  # pragma: no cover - every pass removes a field
