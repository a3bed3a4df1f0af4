"""Flows run end to end under a real (test) Prefect server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from audit.models import AuditCheckpoint, AuditLog
from connectors.base import SourceRecord
from core.errors import ConfigError
from core.models import Source
from core.settings import get_settings
from flows.intake import quarantine_replay_flow
from flows.ledger import ledger_checkpoint_flow
from flows.registry import Job, load_jobs
from services.intake.landing import land_records
from store.engine import session_scope
from tests.ledger_tamper import tamper

KEY = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="


@pytest.fixture
def hub_env(store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    monkeypatch.setenv("SYNCHUB_AUDIT_SIGNING_KEY", KEY)
    get_settings.cache_clear()
    with session_scope(store) as s:
        s.add(Source(name="douyin", kind="ocean_engine"))
    return store


def test_ledger_checkpoint_flow_signs_the_verified_head(prefect_harness: None, hub_env: Engine) -> None:
    result = ledger_checkpoint_flow()
    assert result["entries"] == 1 and result["checkpoint_seq"] == 1
    with hub_env.connect() as conn:
        assert conn.execute(select(AuditCheckpoint.seq)).scalar_one() == 1


def test_ledger_checkpoint_flow_refuses_to_sign_a_broken_chain(
    prefect_harness: None, hub_env: Engine
) -> None:
    tamper(hub_env, lambda c: c.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")))
    with pytest.raises(Exception, match="ledger verification failed: seq 1"):
        ledger_checkpoint_flow()
    with hub_env.connect() as conn:
        assert conn.execute(select(AuditCheckpoint)).first() is None


def test_quarantine_replay_flow_runs_with_the_flow_run_as_actor(
    prefect_harness: None, hub_env: Engine, tmp_path: Path
) -> None:
    record = SourceRecord(
        "c-1", "1001", {"clue_id": "c-1", "remark_dict": {"单位": "苏州康达医疗科技有限公司"}}
    )
    with session_scope(hub_env) as s:
        source = s.scalars(select(Source)).one()
        assert land_records(s, source, [record]).quarantined == 1
    assert quarantine_replay_flow() == {"replayed": 0, "still_failing": 1}
    override = tmp_path / "map.toml"
    override.write_text('[fields]\ncompany = ["remark_dict.单位"]\n', encoding="utf-8")
    with session_scope(hub_env) as s:
        s.scalars(select(Source)).one().config = {"mapping_file": str(override)}
    assert quarantine_replay_flow() == {"replayed": 1, "still_failing": 0}
    with hub_env.connect() as conn:
        actor = conn.execute(select(AuditLog.actor).where(AuditLog.entity_type == "lead")).scalar_one()
    assert actor.startswith("flow:quarantine-replay/")


def test_default_schedules_load_and_name_known_flows() -> None:
    jobs = load_jobs()
    assert {j.flow for j in jobs} >= {"pull-source", "ledger-checkpoint", "quarantine-replay"}
    assert all((j.cron is None) != (j.interval is None) for j in jobs)


def test_every_flow_has_a_run_name_that_says_what_ran() -> None:
    from flows.registry import flows_by_name

    flows = flows_by_name()
    assert {"dedupe-leads", "dedupe-full", "process-leads", "sla-watch", "pull-source"} <= set(flows)
    for name, flow in flows.items():
        fixed_part = str(flow.flow_run_name or "").split("{")[0].rstrip("-")  # pull-{source} -> pull
        assert fixed_part and name.startswith(fixed_part), name
    assert {j.flow for j in load_jobs()} == set(flows)  # the default schedules run every job


def test_served_jobs_never_overlap_themselves_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    import prefect

    from flows.registry import serve_jobs

    served: list[object] = []
    monkeypatch.setattr(prefect, "serve", lambda *deployments, limit: served.extend(deployments))
    jobs = [*load_jobs()[:2], Job(name="wide", flow="pull-source", interval=60, concurrency_limit=3)]
    serve_jobs(jobs)
    assert [getattr(d, "concurrency_limit", None) for d in served] == [1, 1, 3]
    assert [getattr(d, "name", None) for d in served] == [j.name for j in jobs]


def test_bad_schedule_files_give_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text('[[jobs]]\nname = "x"\nflow = "nope"\ninterval = 5\n')
    with pytest.raises(ConfigError, match="unknown flow 'nope'"):
        load_jobs(bad)
    bad.write_text('[[jobs]]\nname = "x"\nflow = "pull-source"\n')
    with pytest.raises(ConfigError, match="exactly one of cron or interval"):
        load_jobs(bad)
    with pytest.raises(ValueError):
        Job(name="y", flow="pull-source", cron="* * * * *", interval=3)


def test_a_silent_source_raises_a_freshness_alert(
    prefect_harness: None, hub_env: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    from datetime import timedelta

    from core.models import utcnow
    from flows.observability import freshness_watch_flow

    with session_scope(hub_env) as s:
        source = s.scalars(select(Source)).one()
        source.expected_interval_s = 900
        source.last_delivery_at = utcnow() - timedelta(minutes=20)
        s.add(Source(name="expo-list", kind="excel"))  # no expected interval: never alarms
    alerts = freshness_watch_flow()
    assert [a["source"] for a in alerts] == ["douyin"]
    assert "nothing new for 20 min (expected every 15 min)" in alerts[0]["message"]
    with session_scope(hub_env) as s:
        s.scalars(select(Source).where(Source.name == "douyin")).one().last_delivery_at = utcnow()
    assert freshness_watch_flow() == []


def test_a_silent_source_is_told_to_the_ops_robot_once_per_silence(
    hub_env: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from connectors.sandbox import SandboxState, running_sandbox
    from connectors.sandbox.notify_state import notify_state
    from core.models import utcnow
    from flows.observability import stale_sources, tell_ops
    from hub.demo.senders import sandbox_senders
    from services.notify import Senders

    def silence(minutes: int) -> list[dict[str, object]]:
        with session_scope(hub_env) as s:
            source = s.scalars(select(Source)).one()
            source.expected_interval_s = 900
            source.last_delivery_at = utcnow() - timedelta(minutes=minutes)
        return stale_sources()

    alerts = silence(20)
    assert tell_ops(alerts, Senders()) == 0  # no robot named: logged only
    monkeypatch.setenv("SYNCHUB_OPS_ROBOT", "ops")
    get_settings.cache_clear()
    sandbox = SandboxState(leads_per_account=1)
    with running_sandbox(sandbox) as server:
        senders = sandbox_senders(server.base_url, ["ops"])
        try:
            assert tell_ops(alerts, senders) == 1
            assert tell_ops(stale_sources(), senders) == 0  # still the same silence: told once
            assert tell_ops(silence(30), senders) == 1  # it delivered since, then fell silent again
        finally:
            senders.close()
        messages = notify_state(sandbox).messages["dingtalk"]
    assert len(messages) == 2 and "douyin" in str(messages[0])
