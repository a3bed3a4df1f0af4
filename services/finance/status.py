"""The receivable installment's status machine.

::

    scheduled ─push─> pushed ─> invoiced ─> partially_paid ─> paid
                         │          │             │             ▲ (a bounced receipt may reopen it)
                         └──────────┴─> overdue <─┘             │
                                           └─> written_off (bad debt covers the rest; terminal)

The status is *derived* from facts (pushed to the ERP, amounts invoiced, received and written off,
the due date and today) by :func:`derive_status`, then applied by :func:`transition`, which refuses a
move the machine does not allow. Every change goes through the ORM, so it is in the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.errors import InputError
from core.models import ReceivableInstallment

__all__ = [
    "ALLOWED",
    "OPEN_STATUSES",
    "STATUSES",
    "TERMINAL",
    "Facts",
    "InvalidTransition",
    "derive_status",
    "transition",
]

STATUSES = ("scheduled", "pushed", "invoiced", "partially_paid", "paid", "overdue", "written_off")
TERMINAL = frozenset({"written_off"})
OPEN_STATUSES = ("pushed", "invoiced", "partially_paid", "overdue")
_SETTLING = {"invoiced", "partially_paid", "paid", "overdue", "written_off"}
ALLOWED: dict[str, frozenset[str]] = {
    "scheduled": frozenset({"pushed"}),
    "pushed": frozenset(_SETTLING),
    "invoiced": frozenset(_SETTLING - {"invoiced"}),
    "partially_paid": frozenset({"paid", "overdue", "written_off"}),
    "overdue": frozenset({"partially_paid", "paid", "written_off"}),
    "paid": frozenset({"partially_paid", "overdue", "invoiced", "pushed"}),  # a receipt reversed
    "written_off": frozenset(),
}


class InvalidTransition(InputError):
    pass


@dataclass(frozen=True)
class Facts:
    amount: Decimal
    due_date: date
    pushed: bool
    invoiced: Decimal = Decimal("0")
    received: Decimal = Decimal("0")
    written_off: Decimal = Decimal("0")


def derive_status(facts: Facts, today: date) -> str:
    """What the status should be, from the facts alone."""
    if not facts.pushed:
        return "scheduled"
    if facts.received >= facts.amount:
        return "paid"
    if facts.written_off > 0 and facts.received + facts.written_off >= facts.amount:
        return "written_off"
    if today > facts.due_date:
        return "overdue"
    if facts.received > 0:
        return "partially_paid"
    if facts.invoiced >= facts.amount:
        return "invoiced"
    return "pushed"


def transition(installment: ReceivableInstallment, target: str) -> bool:
    """Move ``installment`` to ``target``; False when it is already there, InvalidTransition if refused."""
    if target not in STATUSES:
        raise InvalidTransition(f"unknown installment status {target!r}")
    current = installment.status
    if current == target:
        return False
    if target not in ALLOWED.get(current, frozenset()):
        raise InvalidTransition(
            f"installment {installment.business_key}: {current} -> {target} is not allowed"
        )
    installment.status = target
    return True
