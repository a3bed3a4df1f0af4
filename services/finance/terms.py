"""Payment terms -> the installment schedule (pure functions, no I/O).

Accepted terms (JSON), all resolved against the signing date in Beijing time:

- ``{"installments": [{"percent": 30, "due_days": 0}, {"percent": 70, "due_days": 90}]}``
- ``{"installments": [{"amount": "180000.00", "due_date": "2026-12-31"}, ...]}`` (must add up to the amount)
- ``{"installments": [50, 50], "interval_days": 90, "first_due_days": 0}`` (percent shorthand)
- text, as spreadsheets hold it: ``"30@0, 70@90"`` (percent @ days after signing)

Percent installments are rounded to the cent; the last one takes the remainder, so the schedule
always adds up to the contract amount exactly. Every problem is reported with its path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from core.errors import InputError

__all__ = ["MAX_INSTALLMENTS", "ScheduledInstallment", "TermsError", "build_schedule", "parse_terms_text"]

MAX_INSTALLMENTS = 60
LONGEST_TERM_DAYS = 3660  # ten years: a due date further out is a typo (9999-12-31), not a term
CENT = Decimal("0.01")
_TEXT_PART = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*(?:@\s*(\d+)\s*(?:d|天)?)?\s*$")


class TermsError(InputError):
    """The payment terms cannot give a schedule; ``problems`` lists each reason with its path."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class ScheduledInstallment:
    no: int
    amount: Decimal
    due_date: date
    percent: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "no": self.no,
            "amount": str(self.amount),
            "due_date": self.due_date.isoformat(),
        }
        if self.percent is not None:
            out["percent"] = str(self.percent)
        return out


def parse_terms_text(text: str, days: str | None = None) -> dict[str, Any]:
    """``"30@0, 70@90"`` or ``"30/70"`` with ``days`` ``"0/90"`` -> terms JSON."""
    parts = [p for p in re.split(r"[,，;；/、]", text) if p.strip()]
    day_parts = [d for d in re.split(r"[,，;；/、]", days or "") if d.strip()]
    if day_parts and len(day_parts) != len(parts):
        raise TermsError([f"payment_terms: {len(parts)} percentages but {len(day_parts)} day counts"])
    items: list[dict[str, Any]] = []
    for n, part in enumerate(parts):
        match = _TEXT_PART.match(part)
        if match is None:
            raise TermsError([f"payment_terms: cannot read {part.strip()!r}; write e.g. 30@0, 70@90"])
        due = day_parts[n].strip() if day_parts else (match.group(2) or "0")
        if not due.isdigit():
            raise TermsError([f"payment_terms: day count {due!r} is not a whole number"])
        items.append({"percent": match.group(1), "due_days": int(due)})
    if not items:
        raise TermsError(["payment_terms: empty"])
    return {"installments": items}


def _decimal(value: Any, path: str, problems: list[str]) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        problems.append(f"{path}: must be a number")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        problems.append(f"{path}: {value!r} is not a number")
        return None
    if not number.is_finite() or number <= 0:
        problems.append(f"{path}: must be greater than 0")
        return None
    return number


def _due(item: dict[str, Any], signed: date, path: str, problems: list[str]) -> date | None:
    if "due_date" in item:
        try:
            due = date.fromisoformat(str(item["due_date"]))
        except ValueError:
            problems.append(f"{path}.due_date: {item['due_date']!r} is not a date (YYYY-MM-DD)")
            return None
    else:
        days = item.get("due_days", 0)
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= LONGEST_TERM_DAYS:
            problems.append(f"{path}.due_days: must be a whole number of days from 0 to 3660")
            return None
        due = signed + timedelta(days=days)
    if due < signed:
        problems.append(f"{path}: due {due.isoformat()} is before the signing date {signed.isoformat()}")
        return None
    if due > signed + timedelta(days=LONGEST_TERM_DAYS):
        problems.append(f"{path}: due {due.isoformat()} is more than 10 years after signing")
        return None
    return due


def _items(terms: Any, problems: list[str]) -> list[dict[str, Any]]:
    raw = terms.get("installments") if isinstance(terms, dict) else terms
    if isinstance(terms, str):
        raw = parse_terms_text(terms)["installments"]
    if not isinstance(raw, list) or not raw:
        problems.append("payment_terms.installments: give a non-empty list")
        return []
    if len(raw) > MAX_INSTALLMENTS:
        problems.append(f"payment_terms.installments: at most {MAX_INSTALLMENTS} installments")
        return []
    if all(isinstance(x, int | float | str) and not isinstance(x, bool) for x in raw):
        interval = terms.get("interval_days", 30) if isinstance(terms, dict) else 30
        first = terms.get("first_due_days", 0) if isinstance(terms, dict) else 0
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (interval, first)):
            problems.append("payment_terms: interval_days and first_due_days must be whole days >= 0")
            return []
        return [{"percent": x, "due_days": first + n * interval} for n, x in enumerate(raw)]
    if not all(isinstance(x, dict) for x in raw):
        problems.append("payment_terms.installments: each installment must be an object")
        return []
    return list(raw)


def build_schedule(terms: Any, amount: Decimal, signed: date) -> list[ScheduledInstallment]:
    """The installments of ``terms`` for a contract of ``amount`` signed on ``signed``."""
    problems: list[str] = []
    items = _items(terms, problems)
    kinds = {("percent" in i) + 2 * ("amount" in i) for i in items}
    if items and kinds not in ({1}, {2}):
        problems.append("payment_terms: give every installment a percent, or every one an amount, not both")
    if problems:
        raise TermsError(problems)
    by_percent = kinds == {1}
    values: list[Decimal | None] = []
    dues: list[date | None] = []
    for n, item in enumerate(items):
        path = f"payment_terms.installments[{n}]"
        field = "percent" if by_percent else "amount"
        values.append(_decimal(item.get(field), f"{path}.{field}", problems))
        dues.append(_due(item, signed, path, problems))
    if problems:
        raise TermsError(problems)
    given = [v for v in values if v is not None]
    if by_percent and sum(given) != 100:
        problems.append(f"payment_terms: percentages add up to {sum(given)}, not 100")
    if not by_percent and sum(given) != amount:
        problems.append(f"payment_terms: installment amounts add up to {sum(given)}, not the amount {amount}")
    if any(v != v.quantize(CENT) for v in given) and not by_percent:
        problems.append("payment_terms: installment amounts have at most 2 decimals")
    if any(b is not None and a is not None and b < a for a, b in pairwise(dues)):
        problems.append("payment_terms: due dates must not go backwards")
    if problems:
        raise TermsError(problems)
    schedule: list[ScheduledInstallment] = []
    running = Decimal("0")
    for n, (value, due) in enumerate(zip(given, dues, strict=True)):
        assert due is not None
        if by_percent:
            part = (amount * value / 100).quantize(CENT, ROUND_HALF_UP)
            part = amount - running if n == len(given) - 1 else part
        else:
            part = value
        if part <= 0:
            raise TermsError([f"payment_terms.installments[{n}]: rounds to {part} for amount {amount}"])
        running += part
        schedule.append(ScheduledInstallment(n + 1, part, due, value if by_percent else None))
    return schedule
