"""Contracts to receivables: intake, installment schedules, the outbox and its push to the ERPs
(exactly once), reconcile of payments and invoices, status machine and alerts. See the module
docstrings; the public functions are re-exported here."""

import hub.models.finance_ext  # noqa: F401  (registers finance_alerts with the models)
from hub.finance.alerts import LoggingNotifier, Notifier, run_alerts, scan_alerts, send_pending
from hub.finance.customers import pull_customers
from hub.finance.gateway import AmbiguousWriteError, ReceivableGateway
from hub.finance.intake import ContractConflict, ContractInvalid, IntakeResult, sign_contract
from hub.finance.outbox import cancel_messages, claim, list_messages, retry_messages
from hub.finance.push import PushReport, push_once, run_push_loop
from hub.finance.reconcile import ReconcileReport, reconcile
from hub.finance.settings import ContractApiSettings, FinanceSettings
from hub.finance.terms import build_schedule

__all__ = [
    "AmbiguousWriteError",
    "ContractApiSettings",
    "ContractConflict",
    "ContractInvalid",
    "FinanceSettings",
    "IntakeResult",
    "LoggingNotifier",
    "Notifier",
    "PushReport",
    "ReceivableGateway",
    "ReconcileReport",
    "build_schedule",
    "cancel_messages",
    "claim",
    "list_messages",
    "pull_customers",
    "push_once",
    "reconcile",
    "retry_messages",
    "run_alerts",
    "run_push_loop",
    "scan_alerts",
    "send_pending",
    "sign_contract",
]
