"""Faults injected by the sandbox: rate limits back off and succeed, tokens refresh once, a dead
refresh token is fatal with a clear message, 5xx gives up with RetriableError after the cap."""

from __future__ import annotations

import time

import httpx
import pytest

from connectors.errors import ReauthorizeError, RetriableError
from connectors.registry import source_connector_names
from connectors.sandbox import RunningSandbox
from connectors.sandbox.state import initial_token

from .support import harness, pull, records_of

VENDORS = source_connector_names()


def _expected(sandbox: RunningSandbox, name: str, account: str) -> int:
    return len(sandbox.state.records[name][account])


@pytest.mark.parametrize("name", VENDORS)
def test_http_429_backs_off_then_succeeds(sandbox: RunningSandbox, name: str) -> None:
    sandbox.state.faults[name].update({"http_429": 2, "retry_after": 0})
    h = harness(sandbox, name)
    account = h.connector.accounts()[0]
    assert len(records_of(pull(h.connector, "leads", account))) == _expected(sandbox, name, account)
    assert sandbox.state.stats[name]["fault.http_429"] == 2
    assert sum(n for (c, s, status), n in h.metrics.responses.items() if status == 429) == 2
    assert sum(h.metrics.retries.values()) == 2


def test_retry_after_header_is_waited_for(sandbox: RunningSandbox) -> None:
    sandbox.state.faults["ocean_engine"].update({"http_429": 1, "retry_after": 1})
    h = harness(sandbox, "ocean_engine")
    started = time.monotonic()
    pull(h.connector, "leads", h.connector.accounts()[0])
    assert time.monotonic() - started >= 1.0


@pytest.mark.parametrize("name", VENDORS)
def test_vendor_rate_limit_code_backs_off_then_succeeds(sandbox: RunningSandbox, name: str) -> None:
    sandbox.state.faults[name].update({"rate_limit_code": 3})
    h = harness(sandbox, name)
    account = h.connector.accounts()[0]
    assert len(records_of(pull(h.connector, "leads", account))) == _expected(sandbox, name, account)
    assert sandbox.state.stats[name]["rate_limited"] == 3
    assert sum(h.metrics.retries.values()) == 3


def test_qps_limiter_is_survived_with_backoff(sandbox: RunningSandbox) -> None:
    sandbox.state.faults["tencent_ads"].update({"qps_limit": 3})
    h = harness(
        sandbox, "tencent_ads", page_size=10, retry_initial_wait=0.2, retry_max_wait=1.0, retry_max_attempts=8
    )
    account = h.connector.accounts()[0]
    assert len(records_of(pull(h.connector, "leads", account))) == _expected(sandbox, "tencent_ads", account)
    assert sandbox.state.stats["tencent_ads"]["rate_limited"] >= 1


@pytest.mark.parametrize("name", VENDORS)
def test_5xx_is_retried_then_gives_up_with_retriable_error(sandbox: RunningSandbox, name: str) -> None:
    sandbox.state.faults[name].update({"server_error": 100})
    h = harness(sandbox, name, retry_max_attempts=3)
    with pytest.raises(RetriableError) as caught:
        pull(h.connector, "leads", h.connector.accounts()[0])
    assert caught.value.attempts == 3
    assert caught.value.status == 503
    assert sandbox.state.stats[name]["fault.server_error"] == 3
    assert "gave up after 3 attempt(s)" in str(caught.value)


@pytest.mark.parametrize("name", VENDORS)
def test_expired_token_refreshes_once_and_the_request_is_replayed(sandbox: RunningSandbox, name: str) -> None:
    sandbox.state.faults[name].update({"expire_access_token": True})
    h = harness(sandbox, name)
    account = h.connector.accounts()[0]
    assert len(records_of(pull(h.connector, "leads", account))) == _expected(sandbox, name, account)
    assert sandbox.state.stats[name]["refresh"] == 1
    book = sandbox.state.tokens[name]
    pair = h.store.load(name, "default")
    assert pair is not None and pair.access_token == book.access_token != initial_token(name, "access")
    if name == "tencent_ads":  # v1.3 keeps the refresh token
        assert pair.refresh_token == initial_token(name, "refresh")
    else:  # Ocean Engine and Baidu rotate it: the new one is stored
        assert pair.refresh_token == book.refresh_token != initial_token(name, "refresh")
    assert sum(h.metrics.retries.values()) == 0, "the replay is the auth layer's, not a retry"


def test_rotated_refresh_token_is_used_next_time(sandbox: RunningSandbox) -> None:
    h = harness(sandbox, "ocean_engine")
    account = h.connector.accounts()[0]
    for _ in range(2):
        sandbox.state.faults["ocean_engine"].update({"expire_access_token": True})
        pull(h.connector, "leads", account)
    assert sandbox.state.stats["ocean_engine"]["refresh"] == 2
    assert sandbox.state.tokens["ocean_engine"].generation == 2


@pytest.mark.parametrize("name", VENDORS)
def test_expired_refresh_token_is_fatal_with_a_clear_message(sandbox: RunningSandbox, name: str) -> None:
    sandbox.state.faults[name].update({"expire_access_token": True, "expire_refresh_token": True})
    h = harness(sandbox, name)
    with pytest.raises(ReauthorizeError, match="re-authorise the app") as caught:
        pull(h.connector, "leads", h.connector.accounts()[0])
    assert name in str(caught.value)
    assert sandbox.state.stats[name]["refresh"] == 1, "a fatal refresh is not retried"
    assert sandbox.state.stats[name]["requests"] == 1


def test_slow_page_times_out_and_is_retried(sandbox: RunningSandbox) -> None:
    sandbox.state.faults["baidu"].update({"stall_next": 1, "stall_seconds": 0.5})
    h = harness(sandbox, "baidu", timeout_read=0.2)
    account = h.connector.accounts()[0]
    assert len(records_of(pull(h.connector, "leads", account))) == _expected(sandbox, "baidu", account)
    assert sum(h.metrics.retries.values()) == 1


def test_tencent_nonce_is_unique_per_request_and_reuse_is_refused(sandbox: RunningSandbox) -> None:
    sandbox.state.faults["tencent_ads"].update({"expire_access_token": True})
    h = harness(sandbox, "tencent_ads")
    pull(h.connector, "leads", h.connector.accounts()[0])
    stats = sandbox.state.stats["tencent_ads"]
    assert stats["nonce_reused"] == 0
    assert len(sandbox.state.nonces) == stats["requests"] >= 2

    reused = next(iter(sandbox.state.nonces))
    params = {"access_token": sandbox.state.tokens["tencent_ads"].access_token, "nonce": reused,
              "timestamp": str(int(time.time())), "account_id": h.connector.accounts()[0]}  # fmt: skip
    reply = httpx.get(f"{sandbox.base_url}/v3.0/leads_list/get", params=params).json()
    assert reply["code"] == 12100
    assert sandbox.state.stats["tencent_ads"]["nonce_reused"] == 1


def test_faults_can_be_set_over_the_admin_endpoint(sandbox: RunningSandbox) -> None:
    url = f"{sandbox.base_url}/_sandbox/faults"
    reply = httpx.put(url, json={"baidu": {"http_429": 1, "latency": 0.01}})
    assert reply.status_code == 200
    assert reply.json()["baidu"]["http_429"] == 1
    assert sandbox.state.faults["baidu"].latency == 0.01
    assert httpx.put(url, json={"baidu": {"no_such_switch": 1}}).status_code == 400
    assert httpx.put(url, json={"nobody": {}}).status_code == 400
    assert httpx.post(f"{sandbox.base_url}/_sandbox/reset").status_code == 200
    assert httpx.get(url).json()["baidu"]["http_429"] == 0


@pytest.mark.parametrize("object_mode", [False, True], ids=["leads_info-array", "leads_info-object"])
def test_past_the_paging_depth_the_pull_continues_by_search_after(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, object_mode: bool
) -> None:
    """Tencent pages 5,000 records deep by number; here the sandbox's depth is 10 records, so the pull
    must go on with last_search_after_values and still read every lead exactly once, with the cursor
    at the newest one, whether leads_info is an array or (as documented for v3.0) one object."""
    import connectors.tencent_ads.streams as tencent

    monkeypatch.setattr(tencent, "PAGING_DEPTH", 10)
    sandbox.state.faults["tencent_ads"].update({"paging_depth": 10, "leads_info_object": object_mode})
    h = harness(sandbox, "tencent_ads", page_size=5)
    account = h.connector.accounts()[0]
    pages = pull(h.connector, "leads", account)
    keys = [r.external_id for r in records_of(pages)]
    assert len(keys) == len(set(keys)) == _expected(sandbox, "tencent_ads", account) > 10
    newest = max(r["leads_create_time"] for r in sandbox.state.records["tencent_ads"][account])
    assert pages[-1].state.value is not None and pages[-1].state.value.startswith(newest.replace(" ", "T"))


def test_page_numbers_past_the_vendors_depth_are_refused_with_60022(sandbox: RunningSandbox) -> None:
    from connectors.errors import FatalError

    sandbox.state.faults["tencent_ads"].update({"paging_depth": 10})
    h = harness(sandbox, "tencent_ads", page_size=5)  # the real depth: page numbers up to 5,000
    with pytest.raises(FatalError, match="60022"):
        pull(h.connector, "leads", h.connector.accounts()[0])
