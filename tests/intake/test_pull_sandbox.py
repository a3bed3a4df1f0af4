"""A pull from each sandbox platform into the store: records land once, the cursor resumes, a crash
between pages neither skips nor duplicates, and bad records wait in quarantine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

import services.intake.pull
from connectors.incremental import CST
from connectors.registry import get_source_connector, source_connector_names
from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox, sandbox_settings
from core.models import Lead, QuarantinedRecord, RawRecord
from services.intake.pull import pull_source
from services.intake.tokens import DatabaseTokenStore

END = datetime(2026, 12, 1, tzinfo=CST)
FAST = {"page_size": 9, "retry_initial_wait": 0.001, "retry_max_wait": 0.01, "retry_max_total_delay": 5.0}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=11, leads_per_account=30)) as server:
        yield server


def connector(sandbox: RunningSandbox, store: Engine, name: str) -> Any:
    settings = sandbox_settings(name, sandbox.base_url, **FAST)
    return get_source_connector(name, token_store=DatabaseTokenStore(store), settings=settings)


def counts(store: Engine) -> tuple[int, int, int]:
    with store.connect() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(m)).scalar_one())
            for m in (RawRecord, Lead, QuarantinedRecord)
        )


@pytest.mark.parametrize("name", source_connector_names())
def test_pull_lands_every_record_once_and_resumes(sandbox: RunningSandbox, store: Engine, name: str) -> None:
    sandbox.state.reset()
    expected = len(sandbox.state.all_records(name))
    first = pull_source(store, connector(sandbox, store, name), end=END)
    raws, leads, quarantined = counts(store)
    assert first.landing.landed == raws == expected
    assert leads + quarantined == expected and leads > quarantined

    second = pull_source(store, connector(sandbox, store, name), end=END)
    assert second.landing.landed == 0 and counts(store) == (raws, leads, quarantined)

    account = sandbox.state.accounts(name)[0]
    sandbox.state.add_lead(name, account, datetime(2026, 11, 30, 9, 0, tzinfo=CST))
    third = pull_source(store, connector(sandbox, store, name), end=END)
    assert third.landing.landed == 1 and counts(store)[0] == raws + 1


def test_a_crash_between_pages_neither_skips_nor_duplicates(
    sandbox: RunningSandbox, store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.state.reset()
    name = "ocean_engine"
    expected = {str(r["clue_id"]) for r in sandbox.state.all_records(name)}
    real_save = services.intake.pull.save_cursor
    calls = {"n": 0}

    def crash_on_third_page(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("killed between landing a page and saving its cursor")
        real_save(*args)

    monkeypatch.setattr(services.intake.pull, "save_cursor", crash_on_third_page)
    with pytest.raises(SystemExit):
        pull_source(store, connector(sandbox, store, name), end=END)
    landed_before_crash = counts(store)[0]
    assert 0 < landed_before_crash < len(expected)  # the third page rolled back with its cursor

    monkeypatch.setattr(services.intake.pull, "save_cursor", real_save)
    pull_source(store, connector(sandbox, store, name), end=END)
    with store.connect() as conn:
        ids = conn.execute(select(RawRecord.external_id)).scalars().all()
    assert sorted(ids) == sorted(expected)  # nothing skipped, nothing twice


def test_rotated_tokens_are_kept_in_the_store(sandbox: RunningSandbox, store: Engine) -> None:
    """Ocean Engine rotates both tokens on refresh: the new pair must be in the store."""
    sandbox.state.reset()
    sandbox.state.faults["ocean_engine"].update({"expire_access_token": True})
    report = pull_source(store, connector(sandbox, store, "ocean_engine"), end=END)
    assert report.landing.landed == len(sandbox.state.all_records("ocean_engine"))
    book = sandbox.state.tokens["ocean_engine"]
    assert book.generation == 1
    with store.connect() as conn:
        from core.models import OAuthToken

        rows = conn.execute(
            select(OAuthToken.account, OAuthToken.access_token, OAuthToken.refresh_token)
        ).all()
    assert len(rows) == 1 and book.access_token not in rows[0].access_token  # sealed at rest
    kept = DatabaseTokenStore(store).load("ocean_engine", rows[0].account)
    assert kept is not None and (kept.access_token, kept.refresh_token) == (
        book.access_token,
        book.refresh_token,
    )
