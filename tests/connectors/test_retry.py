"""The retry layer: what it retries, how long it waits, when it stops, what it logs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from connectors.errors import AuthExpiredError, FatalError, RetriableError
from connectors.retry import call_with_retry, parse_retry_after
from connectors.settings import ConnectorSettings


def settings(**overrides: Any) -> ConnectorSettings:
    values: dict[str, Any] = {"retry_max_attempts": 5, "retry_initial_wait": 1.0, "retry_max_wait": 8.0,
                              "retry_max_total_delay": 100.0, "retry_after_max": 60.0, **overrides}  # fmt: skip
    return ConnectorSettings(**values)


class Flaky:
    """Fails with the given exceptions in turn, then returns "ok"."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def run(fn: Callable[[], str], config: ConnectorSettings) -> tuple[str, list[float]]:
    slept: list[float] = []
    return call_with_retry(fn, config, what="test/stream", sleep=slept.append), slept


def _status_error(status: int, headers: dict[str, str] | None = None) -> httpx.HTTPStatusError:
    request = httpx.Request("GET", "https://vendor.example/x")
    response = httpx.Response(status, headers=headers, request=request)
    return httpx.HTTPStatusError(f"HTTP {status}", request=request, response=response)


def test_retry_after_from_the_vendor_is_waited_exactly() -> None:
    fn = Flaky(RetriableError("429", retry_after=2.0), RetriableError("429", retry_after=3.0))
    assert run(fn, settings()) == ("ok", [2.0, 3.0])
    assert fn.calls == 3


def test_retry_after_header_of_an_http_status_error() -> None:
    fn = Flaky(_status_error(503, {"Retry-After": "4"}))
    assert run(fn, settings()) == ("ok", [4.0])


def test_backoff_is_exponential_with_jitter_and_capped() -> None:
    fn = Flaky(*(RetriableError("busy") for _ in range(4)))
    result, slept = run(fn, settings(retry_max_wait=3.0))
    assert result == "ok"
    for wait, base in zip(slept, [1.0, 2.0, 3.0, 3.0], strict=True):
        assert base / 2 <= wait <= base
    assert len(set(slept)) > 1


@pytest.mark.parametrize("error", [FatalError("403"), AuthExpiredError("401"), ValueError("bug")])
def test_fatal_and_other_errors_are_never_retried(error: Exception) -> None:
    fn = Flaky(error)
    with pytest.raises(type(error)):
        run(fn, settings())
    assert fn.calls == 1


def test_gives_up_after_max_attempts_with_retriable_error() -> None:
    fn = Flaky(*(RetriableError("HTTP 503", status=503, connector="x") for _ in range(10)))
    with pytest.raises(RetriableError, match="gave up after 3 attempt") as caught:
        run(fn, settings(retry_max_attempts=3))
    assert fn.calls == 3
    assert caught.value.attempts == 3 and caught.value.status == 503
    assert isinstance(caught.value.__cause__, RetriableError)


def test_total_delay_is_capped() -> None:
    fn = Flaky(*(RetriableError("busy", retry_after=0.6) for _ in range(10)))
    with pytest.raises(RetriableError):
        run(fn, settings(retry_max_total_delay=1.0))
    assert fn.calls == 2  # 0.6 s waited; another 0.6 s would pass the 1.0 s cap


def test_a_wait_longer_than_allowed_gives_up_at_once_and_keeps_the_hint() -> None:
    fn = Flaky(RetriableError("daily quota", retry_after=86_400.0))
    with pytest.raises(RetriableError) as caught:
        run(fn, settings())
    assert fn.calls == 1
    assert caught.value.retry_after == 86_400.0


@pytest.mark.parametrize(
    "error", [httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"), httpx.ConnectError("x")]
)
def test_transport_errors_are_retried_and_become_retriable_when_exhausted(error: Exception) -> None:
    assert run(Flaky(error), settings())[0] == "ok"
    always = Flaky(*([error] * 5))
    with pytest.raises(RetriableError) as caught:
        run(always, settings(retry_max_attempts=2))
    assert caught.value.__cause__ is error


def test_http_4xx_status_errors_are_not_retried() -> None:
    fn = Flaky(_status_error(404))
    with pytest.raises(httpx.HTTPStatusError):
        run(fn, settings())
    assert fn.calls == 1


def test_each_retry_is_logged_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="synchub")
    leak = RetriableError("GET https://x.example/?access_token=tok-SECRET-123&page=2 for 13812345678")
    run(Flaky(leak, leak), settings())
    retries = [r for r in caplog.records if r.name == "synchub.connectors.retry"]
    assert len(retries) == 2
    assert all("test/stream" in r.getMessage() for r in retries)
    assert "tok-SECRET-123" not in caplog.text and "13812345678" not in caplog.text
    assert "access_token=***" in caplog.text and "138****5678" in caplog.text


@pytest.mark.parametrize(
    ("header", "seconds"), [(None, None), ("", None), ("7", 7.0), ("1.5", 1.5), ("-3", 0.0), ("soon", None)]
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_parse_retry_after_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
