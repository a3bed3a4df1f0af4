"""The push: claim outbox messages, map each installment to its ERP bill, push it exactly once,
store the ERP ids. Plain functions (the Prefect flow and the CLI call them; tests call them directly).

For each claimed message:

1. an earlier attempt may have reached the ERP (``readback``): look the bill up by its key first;
2. ensure the customer exists in the ERP (found by id, number or USCC, else created);
3. persist idempotency tokens the ERP wants before the first send (U8 tradeid);
4. create the bill; on an ambiguous failure read back at once, and if the bill is not there yet,
   leave the message for a later attempt, which reads back again before sending;
5. record ERP ids, the customer link and ``done`` in one transaction.

Fatal errors (the ERP refused the data, a mapping is missing) dead-letter at once with the reason;
anything else is retried with backoff until ``max_attempts``, then dead-lettered.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.engine import Engine

from audit.context import audit_context
from connectors.erp_gateway import AmbiguousWriteError, ReceivableGateway
from connectors.errors import ConnectorError, FatalError
from connectors.redaction import get_logger, redact_text
from core.errors import InputError
from core.metrics import ERP_PUSHES
from core.models import utcnow
from mapping.erp.codes import ErpCodes, load_erp_codes
from mapping.erp.records import ErpBill
from services.finance.bills import load_bill, record_pushed, settle_without_push
from services.finance.gateways import not_configured
from services.finance.outbox import Claimed, claim, fail, save_tokens
from services.finance.settings import FinanceSettings

__all__ = ["PushReport", "push_once", "run_push_loop"]

logger = get_logger("synchub.finance.push")
_RESULTS = {"created": "ok", "found": "ok", "already": "ok"}  # the bill is in the ERP


@dataclass
class PushReport:
    claimed: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def merge(self, other: PushReport) -> None:
        self.claimed += other.claimed
        self.outcomes.update(other.outcomes)
        self.seconds += other.seconds


def _push(engine: Engine, gateway: ReceivableGateway, claimed: Claimed, codes: ErpCodes) -> str:
    loaded = load_bill(engine, claimed, codes)
    if loaded.contract_status == "cancelled":
        settle_without_push(engine, claimed, "cancelled", "contract cancelled before the push")
        return "cancelled"
    bill = loaded.bill
    if loaded.already is not None:
        record_pushed(engine, claimed, bill, loaded.already, None, "already")
        return "already"
    if claimed.readback:
        found = gateway.find_bill(bill)
        if found is not None:
            record_pushed(engine, claimed, bill, found, None, "found")
            return "found"
    customer = gateway.ensure_customer(bill.customer)
    bill = replace(bill, customer=replace(bill.customer, number=customer.number))
    tokens = claimed.tokens or gateway.prepare(bill)
    if tokens and not claimed.tokens:
        save_tokens(engine, claimed.id, tokens)
    created: ErpBill | None
    try:
        created = gateway.create_bill(bill, tokens)
    except AmbiguousWriteError:
        created = gateway.find_bill(bill)
        if created is None:
            raise
        record_pushed(engine, claimed, bill, created, customer, "found")
        return "found"
    record_pushed(engine, claimed, bill, created, customer, "created")
    return "created"


def _one(
    engine: Engine, gateways: Mapping[str, ReceivableGateway], claimed: Claimed, settings: FinanceSettings
) -> str:
    gateway = gateways.get(claimed.system)
    try:
        if gateway is None:
            missing = not_configured(claimed.system)
            hint = f": set {' and '.join(missing)}" if missing else ""
            raise FatalError(f"ERP {claimed.system!r} is not configured{hint}")
        return _push(engine, gateway, claimed, load_erp_codes(claimed.system, settings.mapping_dir))
    except (FatalError, InputError) as exc:
        status = fail(engine, claimed, redact_text(f"{type(exc).__name__}: {exc}"), settings, fatal=True)
    except ConnectorError as exc:
        status = fail(engine, claimed, redact_text(f"{type(exc).__name__}: {exc}"), settings, fatal=False)
    except Exception as exc:  # a bug or a database blip: retried, and logged with its trace
        logger.exception("push of %s failed unexpectedly", claimed.business_key)
        status = fail(engine, claimed, redact_text(f"{type(exc).__name__}: {exc}"), settings, fatal=False)
    level = logging.ERROR if status == "dead" else logging.WARNING
    logger.log(level, "push of %s (attempt %d): %s", claimed.business_key, claimed.attempts, status)
    return "dead" if status == "dead" else "retry"


def push_once(
    engine: Engine,
    gateways: Mapping[str, ReceivableGateway],
    *,
    worker: str,
    settings: FinanceSettings | None = None,
    concurrency: int = 1,
    now: Callable[[], datetime] = utcnow,
) -> PushReport:
    """Claim one batch and push it (``concurrency`` bills in parallel); the outcome counts."""
    settings = settings or FinanceSettings()
    started = time.perf_counter()
    batch = claim(engine, worker, settings, now())
    report = PushReport(claimed=len(batch))
    if not batch:
        return report
    with audit_context(actor=f"worker:{worker}"):
        if concurrency <= 1:
            outcomes = [_one(engine, gateways, c, settings) for c in batch]
        else:
            with ThreadPoolExecutor(concurrency, thread_name_prefix="synchub-push") as pool:
                outcomes = list(pool.map(lambda c: _one(engine, gateways, c, settings), batch))
    report.outcomes.update(outcomes)
    for claimed, outcome in zip(batch, outcomes, strict=True):
        ERP_PUSHES.labels(claimed.system, _RESULTS.get(outcome, outcome)).inc()
    report.seconds = time.perf_counter() - started
    return report


def run_push_loop(
    engine: Engine,
    gateways: Mapping[str, ReceivableGateway],
    *,
    worker: str,
    stop: threading.Event,
    settings: FinanceSettings | None = None,
    concurrency: int = 1,
    idle_seconds: float = 0.2,
) -> PushReport:
    """Push until ``stop`` is set, sleeping ``idle_seconds`` whenever nothing is due."""
    total = PushReport()
    while not stop.is_set():
        report = push_once(engine, gateways, worker=worker, settings=settings, concurrency=concurrency)
        total.merge(report)
        if report.claimed == 0:
            stop.wait(idle_seconds)
    return total
