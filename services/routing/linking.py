"""Match before route: a lead is linked to its customer before routing reads who owns it.

The customer index is built once per process and engine (``CustomerMatcher.from_store``) and caught
up by id on each later call (``refresh``), so a long-lived process (``synchub serve``, the API)
matches in memory; a process that routes once builds it once. A failed transaction drops the index:
it may hold customers the rollback removed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from audit.capture import lock_chain
from core.models import Customer, Lead
from dedupe.service import CustomerMatcher

__all__ = ["customer_index", "forget_index", "index_new_customer", "link_leads"]

_MATCHERS: dict[str, CustomerMatcher] = {}


def _key(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def link_leads(session: Session, leads: Iterable[Lead]) -> tuple[dict[str, int], set[int]]:
    """Link every lead without a customer (creating the customer where none matches); the counts and
    the golden ids of the customers merged on the way (their owners must be settled)."""
    pending = [lead for lead in leads if lead.customer_id is None]
    if not pending:
        return {"linked": 0, "new_customers": 0}, set()
    lock_chain(session)  # as dedupe-leads does: one matcher at a time, each sees the other's customers
    matcher = customer_index(session)
    matcher.merged.clear()
    new = sum(matcher.match_lead(session, lead).decision == "new" for lead in pending)
    merged, matcher.merged = set(matcher.merged), set()
    return {"linked": len(pending) - new, "new_customers": new}, merged


def customer_index(session: Session) -> CustomerMatcher:
    """The process's customer index, caught up with the store; call it before adding a customer that
    should be matched (a customer committed before the index saw it is indexed, not matched)."""
    key = _key(session)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = _MATCHERS[key] = CustomerMatcher.from_store(session)
    else:
        matcher.refresh(session)
    return matcher


def index_new_customer(session: Session, matcher: CustomerMatcher, customer: Customer) -> set[int]:
    """Match a customer made outside the lead path (a contract's, an ERP's) like any other: merged
    into the customer it duplicates, or queued for review. The golden ids of the merges made."""
    matcher.merged.clear()
    matcher.add_customer(session, customer)
    merged, matcher.merged = set(matcher.merged), set()
    return merged


def forget_index(session_or_key: Session | str | None = None) -> None:
    """Drop the cached index (all of them without an argument)."""
    if session_or_key is None:
        _MATCHERS.clear()
        return
    key = session_or_key if isinstance(session_or_key, str) else _key(session_or_key)
    _MATCHERS.pop(key, None)
