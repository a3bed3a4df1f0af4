"""Contracts to receivables: intake, installment schedules, the outbox and its push to the ERPs
(exactly once), reconcile of payments and invoices, status machine and alerts. See the module
docstrings; the public functions are re-exported here."""

import core.models.finance_ext  # noqa: F401  (registers finance_alerts with the models)
from connectors.erp_gateway import AmbiguousWriteError, ReceivableGateway
from services.finance.alerts import LoggingNotifier, Notifier, run_alerts, scan_alerts, send_pending
from services.finance.customers import pull_customers
from services.finance.intake import ContractConflict, ContractInvalid, IntakeResult, sign_contract
from services.finance.outbox import cancel_messages, claim, list_messages, retry_messages
from services.finance.push import PushReport, push_once, run_push_loop
from services.finance.reconcile import ReconcileReport, reconcile
from services.finance.settings import ContractApiSettings, FinanceSettings
from services.finance.terms import build_schedule

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
