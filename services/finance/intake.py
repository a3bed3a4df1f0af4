"""Contract intake: validate a signed contract and record it with its installments and one outbox
message per installment, all in one transaction (the transactional outbox).

:func:`sign_contract` is the "contract signed" event function the API, the Excel import and CRM
sources call. The contract number is the idempotency key: the same contract again changes nothing
(``unchanged``); the same number with different terms is a :class:`ContractConflict`. Bad input is a
:class:`ContractInvalid` listing every problem by field, never a stack trace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.capture import lock_chain, record_event
from audit.context import audit_context
from connectors.incremental import CST
from core.errors import InputError, MappingError
from core.models import Contract, Customer, Lead, OutboxMessage, ReceivableInstallment
from mapping.company import normalise_company
from mapping.erp.codes import load_erp_codes
from mapping.uscc import validate_uscc
from services.finance.contract_in import ContractIn, CustomerIn
from services.finance.outbox import enqueue_receivable
from services.finance.settings import FinanceSettings
from services.finance.terms import ScheduledInstallment, TermsError, build_schedule
from services.routing.linking import customer_index, index_new_customer
from services.routing.people import settle_review
from services.routing.stages import CLOSED, advance_stage
from store.engine import session_scope

__all__ = [
    "ContractConflict",
    "ContractInvalid",
    "IntakeResult",
    "record_contract",
    "sign_contract",
    "validate",
]

VAT_RATES = frozenset(Decimal(r) for r in ("0", "0.01", "0.03", "0.05", "0.06", "0.09", "0.13"))
MAX_AMOUNT = Decimal("1000000000000")


class ContractInvalid(InputError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid contract: " + "; ".join(problems))
        self.problems = problems


class ContractConflict(InputError):
    """The contract number exists with different content."""


@dataclass
class IntakeResult:
    status: str  # created | unchanged
    contract_id: int
    number: str
    erp: str
    installments: list[dict[str, Any]] = field(default_factory=list)


def parse(data: Mapping[str, Any]) -> ContractIn:
    """The payload as a :class:`ContractIn`, or ContractInvalid with one line per bad field."""
    try:
        return ContractIn.model_validate(dict(data))
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors(include_url=False)
        ]
        raise ContractInvalid(problems) from None


def signed_moment(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=CST)
    return datetime.combine(value, time(0), tzinfo=CST)


def validate(
    c: ContractIn, erp: str, settings: FinanceSettings, now: datetime | None = None
) -> list[ScheduledInstallment]:
    """Domain checks beyond the shape; the installment schedule when all pass."""
    problems: list[str] = []
    codes = load_erp_codes(erp, settings.mapping_dir)
    if c.amount <= 0 or c.amount > MAX_AMOUNT:
        problems.append(f"amount: must be greater than 0 and at most {MAX_AMOUNT}")
    if c.amount != c.amount.quantize(Decimal("0.01")):
        problems.append("amount: at most 2 decimals (fen)")
    if c.currency not in codes.currencies:
        problems.append(
            f"currency: {c.currency} is not mapped for {erp}; known: {', '.join(sorted(codes.currencies))}"
        )
    if c.tax_rate not in VAT_RATES:
        problems.append(f"tax_rate: {c.tax_rate} is not a VAT rate (0, 1%, 3%, 5%, 6%, 9%, 13%)")
    elif c.tax_rate.normalize() not in codes.tax_rates:
        problems.append(f"tax_rate: {c.tax_rate} has no {erp} tax code in the mapping file")
    signed = signed_moment(c.signed_at)
    if signed > (now or datetime.now(UTC)) + timedelta(days=1):
        problems.append("signed_at: in the future")
    if c.customer.uscc:
        try:
            validate_uscc(c.customer.uscc)
        except MappingError as exc:
            problems.append(f"customer.{exc}")
    schedule: list[ScheduledInstallment] = []
    if not problems:
        try:
            schedule = build_schedule(c.payment_terms, c.amount, signed.astimezone(CST).date())
        except TermsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContractInvalid(problems)
    return schedule


def _customer(session: Session, given: CustomerIn, owner: str | None) -> Customer:
    """The contract's customer: by id, USCC or name; a new one is matched against every customer (lead
    customers included), so one company's contract and leads meet: merged, or queued for review."""
    if given.id is not None:
        customer = session.get(Customer, given.id)
        if customer is None:
            raise ContractInvalid([f"customer.id: no customer {given.id}"])
    else:
        uscc = validate_uscc(given.uscc) if given.uscc else None
        name = normalise_company(given.name or "")
        query = select(Customer).order_by(Customer.id)
        found = session.scalars(query.where(Customer.uscc == uscc)).first() if uscc else None
        found = found or (session.scalars(query.where(Customer.name_norm == name)).first() if name else None)
        if found is None:
            index = customer_index(session)
            found = Customer(
                name=given.name or "", name_norm=name, uscc=uscc, address=given.address, owner=owner
            )
            session.add(found)
            session.flush()
            for golden in index_new_customer(session, index, found):
                settle_review(session, merged=golden)  # one owner for the merged customer
        customer = found
    seen = {customer.id}
    while customer.merged_into_id is not None and customer.merged_into_id not in seen:
        seen.add(customer.merged_into_id)
        customer = session.get_one(Customer, customer.merged_into_id)
    return customer


def _queued_erp(session: Session, contract: Contract) -> str | None:
    """The ERP the contract's installments were queued for (what a resend's answer must say)."""
    installments = select(ReceivableInstallment.id).where(ReceivableInstallment.contract_id == contract.id)
    message = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.aggregate_type == "receivable_installment",
            OutboxMessage.aggregate_id.in_(installments),
        )
    ).first()
    system = message.payload.get("system") if message is not None else None
    return str(system) if system else None


def record_contract(
    session: Session, c: ContractIn, schedule: list[ScheduledInstallment], erp: str, source: str
) -> IntakeResult:
    """Contract + installments + outbox messages in the caller's transaction.

    Concurrent deliveries of one contract are serialised on the ledger's head lock before anything
    is looked up, so the second sees the first's customer and contract (one 201, then 200s) instead
    of creating a customer of its own and then conflicting with the first.
    """
    lock_chain(session)
    if c.lead_id is not None and session.get(Lead, c.lead_id) is None:
        raise ContractInvalid([f"lead_id: no lead {c.lead_id}"])
    customer = _customer(session, c.customer, c.owner)
    terms = {"installments": [s.as_json() for s in schedule], "given": c.payment_terms}
    existing = session.scalars(select(Contract).where(Contract.number == c.number)).first()
    if existing is not None:
        queued = _queued_erp(session, existing)
        if queued is not None and c.erp is not None and c.erp != queued:
            raise ContractConflict(
                f"contract {c.number} is already queued for {queued}; it cannot move to {c.erp} by a resend"
            )
        erp = queued or erp
        same = (existing.customer_id, existing.amount, existing.currency, existing.tax_rate.normalize()) == (
            customer.id,
            c.amount,
            c.currency,
            c.tax_rate.normalize(),
        ) and existing.payment_terms.get("installments") == terms["installments"]
        if not same:
            raise ContractConflict(
                f"contract {c.number} exists with different customer, amount, currency, tax rate or terms; "
                "amend it in the ERP or use a new number"
            )
        return IntakeResult("unchanged", existing.id, existing.number, erp, terms["installments"])
    contract = Contract(
        number=c.number,
        customer_id=customer.id,
        lead_id=c.lead_id,
        amount=c.amount,
        currency=c.currency,
        tax_rate=c.tax_rate,
        signed_at=signed_moment(c.signed_at),
        payment_terms=terms,
        owner=c.owner,
    )
    session.add(contract)
    session.flush()
    for item in schedule:
        inst = ReceivableInstallment(
            contract_id=contract.id,
            installment_no=item.no,
            amount=item.amount,
            due_date=item.due_date,
            business_key=f"{c.number}#{item.no}",
        )
        session.add(inst)
        session.flush()
        enqueue_receivable(session, inst, erp)
    record_event(
        session,
        "contract_signed",
        "contract",
        contract.id,
        {"number": c.number, "source": source, "erp": erp, "installments": len(schedule)},
    )
    lead = session.get(Lead, c.lead_id) if c.lead_id is not None else None
    if lead is not None and lead.stage not in CLOSED:  # the lead it names is won, in the ledger
        advance_stage(session, lead, "won", by=f"contract:{c.number}", note=f"contract {c.number} signed")
    return IntakeResult("created", contract.id, contract.number, erp, terms["installments"])


def sign_contract(
    engine: Engine,
    data: Mapping[str, Any],
    *,
    actor: str,
    source: str = "api",
    settings: FinanceSettings | None = None,
    now: datetime | None = None,
) -> IntakeResult:
    """The "contract signed" event: validate ``data`` and commit the contract with its outbox rows."""
    settings = settings or FinanceSettings()
    contract = parse(data)
    erp = contract.erp or settings.erp
    schedule = validate(contract, erp, settings, now)
    with audit_context(actor=actor, correlation_id=f"contract:{contract.number}"), session_scope(engine) as s:
        return record_contract(s, contract, schedule, erp, source)
