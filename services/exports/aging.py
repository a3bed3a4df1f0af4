"""Aging of receivables: each open installment's outstanding amount falls in one bucket by its days
overdue (``services.finance.overdue``, the one definition the alerts and the console use), and
:class:`AgingTotals` adds the buckets up per customer and per salesperson as the rows go by.

An installment that is settled (paid or written off) owes nothing and has no bucket. The outstanding
amount is the console's: amount less paid, for every installment that is not settled, so the buckets of
a contract add up to the outstanding the receivables page shows for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from services.finance.overdue import SETTLED

__all__ = ["BUCKETS", "AgingTotals", "bucket_of", "outstanding_of"]

BUCKETS = ("未到期", "1-30 天", "31-60 天", "61-90 天", "90 天以上")
_UPPER = (0, 30, 60, 90)  # the last day of each bucket but the last
ZERO = Decimal(0)


def bucket_of(days_overdue: int) -> int:
    """Index in :data:`BUCKETS` for an open installment ``days_overdue`` days past due (0: not yet)."""
    for index, upper in enumerate(_UPPER):
        if days_overdue <= upper:
            return index
    return len(_UPPER)


def outstanding_of(amount: Decimal, paid: Decimal, status: str) -> Decimal:
    """What an installment still owes, as the receivables page counts it."""
    return ZERO if status in SETTLED else amount - paid


@dataclass
class AgingTotals:
    """Outstanding by bucket for each key (a customer, a salesperson), in the order first seen."""

    by_key: dict[str, list[Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: [ZERO] * len(BUCKETS))
    )

    def add(self, key: str, days_overdue: int, outstanding: Decimal) -> None:
        self.by_key[key][bucket_of(days_overdue)] += outstanding

    def rows(self, total_label: str = "合计") -> Iterator[list[object]]:
        """``[key, total, *buckets]`` per key, largest total first, then a grand-total row."""
        grand = [ZERO] * len(BUCKETS)
        ranked = sorted(self.by_key.items(), key=lambda item: (-sum(item[1], ZERO), item[0]))
        for key, buckets in ranked:
            grand = [a + b for a, b in zip(grand, buckets, strict=True)]
            yield [key, sum(buckets, ZERO), *buckets]
        yield [total_label, sum(grand, ZERO), *grand]
