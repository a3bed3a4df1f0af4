"""The one definition of "days overdue", used by the alerts (when they are sent), the console's
receivables page and its JSON, and ``synchub contract receivables``.

Days overdue are Beijing calendar days after the due date: 0 on the due date itself, 1 the day after,
whatever the host's time zone or the hour (``mapping.timestamps.china_today``). A settled installment
(paid, or written off) is not overdue.
"""

from __future__ import annotations

from datetime import date, datetime

from core.models import ReceivableInstallment
from mapping.timestamps import china_today

__all__ = ["SETTLED", "days_overdue", "installment_days_overdue"]

SETTLED = frozenset({"paid", "written_off"})


def days_overdue(due_date: date, today: date | None = None, now: datetime | None = None) -> int:
    """Beijing calendar days after ``due_date`` on ``today`` (default: Beijing's date at ``now``, or
    now); 0 on or before the due date."""
    day = today or china_today(now)
    return max((day - due_date).days, 0)


def installment_days_overdue(inst: ReceivableInstallment, today: date | None = None) -> int:
    """:func:`days_overdue` of an installment; 0 once it is settled or fully paid."""
    if inst.status in SETTLED or inst.paid_amount >= inst.amount:
        return 0
    return days_overdue(inst.due_date, today)
