"""Finance tables added by the contracts-to-receivables work (issue 7).

:class:`FinanceAlert` is the sent-alert record: one row per alert *event* (an installment not
invoiced in time, an installment overdue), unique on ``event_key``, so an alert reaches people once
per event however often the alert flow runs. The row is committed before the notification is sent
(``pending``), then marked ``sent``; a failed send is retried by the next run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Audited, Base, Timestamps

__all__ = ["FinanceAlert"]


class FinanceAlert(Audited, Timestamps, Base):
    __tablename__ = "finance_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(160), unique=True, doc="kind:installment:reference")
    kind: Mapped[str] = mapped_column(String(20), doc="not_invoiced | overdue")
    installment_id: Mapped[int] = mapped_column(ForeignKey("receivable_installments.id"), index=True)
    contract_number: Mapped[str] = mapped_column(String(60))
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending", doc="pending | sent | failed")
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
