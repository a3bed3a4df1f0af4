"""The one retry layer every connector's requests go through (tenacity).

Retried: :class:`~connectors.errors.RetriableError` (HTTP 429/5xx and vendor rate-limit codes, as
classified by the connector), httpx timeouts and network errors, and ``httpx.HTTPStatusError`` with a
429/5xx status. Never retried: anything else, :class:`~connectors.errors.FatalError` above all.

Wait: the vendor's Retry-After (or its code's hint) when it gave one, else exponential backoff with
jitter (``retry_initial_wait * 2**n``, between half and all of it, at most ``retry_max_wait``).
Stop: after ``retry_max_attempts`` attempts, when the waits would add up past
``retry_max_total_delay``, or when the vendor asks for a wait longer than ``retry_after_max`` (a
daily quota: stop now, a later run will pick up). Giving up raises :class:`RetriableError` with the
number of attempts and the last cause chained. Each retry is logged, redacted.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
import tenacity

from connectors.errors import RetriableError
from connectors.redaction import get_logger, redact_text
from connectors.settings import ConnectorSettings

__all__ = ["call_with_retry", "is_retriable", "parse_retry_after"]

T = TypeVar("T")
logger = get_logger("synchub.connectors.retry")

_RETRIABLE = (RetriableError, httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _status_retriable(status: int) -> bool:
    return status == 429 or status == 408 or status >= 500


def is_retriable(exc: BaseException) -> bool:
    """True for the failures this layer retries."""
    if isinstance(exc, _RETRIABLE):
        return True
    return isinstance(exc, httpx.HTTPStatusError) and _status_retriable(exc.response.status_code)


def _hint(exc: BaseException | None) -> float | None:
    if isinstance(exc, RetriableError):
        return exc.retry_after
    if isinstance(exc, httpx.HTTPStatusError):
        return parse_retry_after(exc.response.headers.get("Retry-After"))
    return None


def _wait(settings: ConnectorSettings) -> Callable[[tenacity.RetryCallState], float]:
    def wait(state: tenacity.RetryCallState) -> float:
        hint = _hint(state.outcome.exception() if state.outcome else None)
        if hint is not None:
            return hint
        base = min(
            settings.retry_max_wait, settings.retry_initial_wait * float(2 ** (state.attempt_number - 1))
        )
        return base / 2 + random.uniform(0, base / 2)

    return wait


def _stop(settings: ConnectorSettings) -> Callable[[tenacity.RetryCallState], bool]:
    longest = max(settings.retry_after_max, settings.retry_max_wait)

    def stop(state: tenacity.RetryCallState) -> bool:
        return (
            state.attempt_number >= settings.retry_max_attempts
            or state.idle_for + state.upcoming_sleep > settings.retry_max_total_delay
            or state.upcoming_sleep > longest
        )

    return stop


def call_with_retry(
    fn: Callable[[], T],
    settings: ConnectorSettings,
    *,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[BaseException], None] | None = None,
) -> T:
    """Call ``fn`` until it returns, retrying retriable failures as the settings allow."""

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        logger.warning(
            "%s: attempt %d/%d failed (%s); retrying in %.2fs",
            what,
            state.attempt_number,
            settings.retry_max_attempts,
            redact_text(f"{type(exc).__name__}: {exc}"),
            state.upcoming_sleep,
        )
        if on_retry is not None and exc is not None:
            on_retry(exc)

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_retriable),
        wait=_wait(settings),
        stop=_stop(settings),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(fn)
    except Exception as exc:
        if not is_retriable(exc):
            raise
        attempts = retrying.statistics.get("attempt_number", 1)
        message = redact_text(f"{what}: gave up after {attempts} attempt(s): {exc}")
        logger.error("%s", message)
        status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
        base = exc if isinstance(exc, RetriableError) else None
        raise RetriableError(
            message,
            retry_after=_hint(exc),
            connector=base.connector if base else None,
            code=base.code if base else None,
            status=base.status if base else status,
            attempts=attempts,
        ) from exc
