"""Ledger flow: verify the whole chain, then sign a checkpoint of its head."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from core.errors import AuditError
from flows.common import hub_flow, report_run

__all__ = ["ledger_checkpoint_flow"]


@task(cache_policy=NO_CACHE)
def verify_and_checkpoint() -> dict[str, Any]:
    from audit.checkpoint import create_checkpoint, load_signing_key
    from audit.verify import verify_ledger
    from core.settings import get_settings
    from store.engine import make_engine

    engine = make_engine()
    try:
        result = verify_ledger(engine)
        if not result.ok:  # never sign a broken chain: that would bless the tampering
            raise AuditError(f"ledger verification failed: {result.problem}")
        checkpoint = create_checkpoint(engine, load_signing_key(get_settings()))
    finally:
        engine.dispose()
    return {"entries": result.count, "checkpoint_seq": checkpoint["seq"], "hash": checkpoint["hash"]}


@hub_flow("ledger-checkpoint", timeout_minutes=30)
def ledger_checkpoint_flow() -> dict[str, Any]:
    """Verify the ledger and sign its head; fails loudly when the chain is broken."""
    return report_run(verify_and_checkpoint())
