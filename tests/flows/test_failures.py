"""Failed runs reach the ops robot: once per failing job, repeats held for one digest, anew after the job
completed again; the error is masked. Real flows under the session's Prefect server, against the
sandbox's DingTalk robot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.sandbox import SandboxState, running_sandbox
from connectors.sandbox.env import sandbox_env
from connectors.sandbox.notify_state import notify_state
from core.models import NotificationLog, utcnow
from core.settings import get_settings
from flows.common import hub_flow
from services.notify import NotificationService, default_senders
from services.notify.service import HOLD_SECONDS


@hub_flow("flaky-job", timeout_minutes=1)
def flaky_flow(fail: bool) -> str:
    if fail:
        raise RuntimeError("vendor refused the call for 13812345678")
    return "ok"


def statuses(store: Engine) -> list[str]:
    with store.connect() as conn:
        query = select(NotificationLog.status).where(NotificationLog.event == "flow_failed")
        return sorted(str(s) for s in conn.execute(query.order_by(NotificationLog.id)).scalars())


def test_a_failing_job_is_told_once_then_folded_then_told_again_after_it_recovers(
    prefect_harness: None, store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = SandboxState(leads_per_account=1)
    with running_sandbox(sandbox) as server:
        for name, value in sandbox_env(server.base_url, robots=["ops"], retry_initial_wait=0.01).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
        get_settings.cache_clear()

        for _ in range(3):
            with pytest.raises(RuntimeError):
                flaky_flow(fail=True)
        sent = notify_state(sandbox).messages["dingtalk"]
        assert len(sent) == 1  # once per failing job, not once per run
        assert "flaky-job" in str(sent[0]) and "138****5678" in str(sent[0])
        assert "13812345678" not in str(sent)
        assert statuses(store) == ["held", "held", "sent"]

        assert flaky_flow(fail=False) == "ok"  # the job recovers...
        with pytest.raises(RuntimeError):
            flaky_flow(fail=True)  # ...and fails anew: told at once again
        assert len(notify_state(sandbox).messages["dingtalk"]) == 2

        later = utcnow() + timedelta(seconds=HOLD_SECONDS + 1)
        senders = default_senders()
        try:
            report = NotificationService(store, senders, clock=lambda: later).dispatch()
        finally:
            senders.close()
        assert report.digests == 1 and report.folded == 2  # the two held repeats, in one digest
        assert len(notify_state(sandbox).messages["dingtalk"]) == 3
    assert statuses(store) == ["digested", "digested", "sent", "sent"]
