"""Streams as data, and the base class that pulls them.

A :class:`Stream` declares what to fetch: name, path, method, primary key, cursor field, where the
records are in the reply, which paginator, which payload model, how long a time window the vendor
allows. :class:`HttpSourceConnector` holds base URL, auth and defaults, and runs the one request
loop: time windows → pages → retry layer → vendor classification → records → cursor state. Vendors
override a few named hooks only:

- ``token_auth_class`` + ``refresher()``  token auth with refresh (or override ``build_auth()``)
- ``window_request(stream, account, start, end)``   the first request of a time window
- ``classify(body)``                     the vendor error in a reply body, or None
- ``parse_records(stream, body)``        the record dicts of a reply (default: ``records_path``)
- ``cursor_value(stream, record)``       the record's cursor as ISO text (default: vendor time)

Pages are yielded as :class:`~connectors.base.Page`; the cursor state on a page only moves forward
when everything before it is complete (a finished window, or every page when ``ascending``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from connectors.auth import RefreshingTokenAuth, TokenRefresher
from connectors.base import CursorState, MemoryTokenStore, Page, SourceRecord, TokenPair, TokenStore
from connectors.errors import AuthExpiredError, ConnectorError, FatalError, RetriableError, error_for_status
from connectors.http import DEFAULT_METRICS, RequestMetrics, make_client, request_tags
from connectors.incremental import CST, Incremental, vendor_time_to_cursor
from connectors.pagination import Location, PageNumberPaginator, PageRequest, Paginator, dig
from connectors.redaction import get_logger, redact_body
from connectors.retry import call_with_retry, parse_retry_after
from connectors.settings import ConnectorSettings

__all__ = ["HttpSourceConnector", "Stream", "numbered_pages"]

logger = get_logger("synchub.connectors.streams")
S = TypeVar("S", bound=ConnectorSettings)


def numbered_pages(
    *,
    total_pages_path: str | None = None,
    page_param: str = "page",
    size_param: str = "page_size",
    largest_page: int | None = None,
    location: Location = "query",
) -> Callable[[ConnectorSettings], Paginator]:
    """A stream's page-number paginator, sized by the connector's settings (``page_size``, capped at
    the vendor's ``largest_page``; ``max_pages``). Without ``total_pages_path`` a short page is the last."""

    def paginator(settings: ConnectorSettings) -> Paginator:
        size = settings.page_size if largest_page is None else min(settings.page_size, largest_page)
        return PageNumberPaginator(
            page_param=page_param,
            size_param=size_param,
            page_size=size,
            total_pages_path=total_pages_path,
            max_pages=settings.max_pages,
            location=location,
        )

    return paginator


@dataclass(frozen=True)
class Stream:
    name: str
    path: str
    primary_key: str
    cursor_field: str
    records_path: str
    paginator: Callable[[ConnectorSettings], Paginator]
    payload_model: type[BaseModel]
    method: str = "GET"
    cursor_format: str = "%Y-%m-%d %H:%M:%S"
    max_window: timedelta | None = None  # the vendor's longest allowed time range per query
    ascending: bool = False  # True when the vendor returns records oldest first


class HttpSourceConnector(Generic[S]):
    """A source connector over HTTP; vendor subclasses set the class attributes and a few hooks."""

    name: str
    settings_class: ClassVar[type[ConnectorSettings]]
    stream_list: ClassVar[tuple[Stream, ...]]
    token_auth_class: ClassVar[type[RefreshingTokenAuth] | None] = None

    def __init__(
        self,
        settings: S | None = None,
        token_store: TokenStore | None = None,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
    ) -> None:
        self.settings: S = settings if settings is not None else self.settings_class()  # type: ignore[assignment]
        self.token_store: TokenStore = token_store if token_store is not None else MemoryTokenStore()
        self.transport = transport
        self.metrics = metrics if metrics is not None else DEFAULT_METRICS
        self.auth = self.build_auth()

    # -- SourceConnector ------------------------------------------------------------------------
    def accounts(self) -> list[str]:
        return self.settings.account_list()

    def streams(self) -> list[str]:
        return [stream.name for stream in self.stream_list]

    def stream(self, name: str) -> Stream:
        for stream in self.stream_list:
            if stream.name == name:
                return stream
        raise FatalError(f"{self.name}: no stream {name!r}; streams: {self.streams()}", connector=self.name)

    def read(
        self, stream: str, account: str, state: CursorState, end: datetime | None = None
    ) -> Iterator[Page]:
        spec = self.stream(stream)
        if account not in self.accounts():
            raise FatalError(f"{self.name}: account {account!r} is not configured", connector=self.name)
        upper = (end or datetime.now(CST)).astimezone(CST)
        cursor = Incremental(state, lag=timedelta(seconds=self.settings.lag_seconds))
        lower = cursor.lower_bound(self._default_start(upper)).astimezone(CST)
        if lower >= upper:
            yield Page(records=[], state=state)
            return
        windows = list(_windows(lower, upper, spec.max_window))
        with make_client(
            self.settings, transport=self.transport, auth=self.auth, connector=self.name, metrics=self.metrics
        ) as client:
            while windows:
                start, stop = windows.pop(0)
                for records, last_page in self._pages(client, spec, account, start, stop):
                    fresh = cursor.admit(records)
                    if last_page:
                        cursor.commit()
                    page_state = cursor.state if spec.ascending else cursor.committed
                    if fresh or (last_page and not windows):
                        yield Page(records=fresh, state=page_state)

    # -- hooks ----------------------------------------------------------------------------------
    def build_auth(self) -> httpx.Auth | None:
        if self.token_auth_class is None:
            return None
        initial = None
        if self.settings.access_token is not None:
            refresh = self.settings.refresh_token
            initial = TokenPair(
                access_token=self.settings.access_token.get_secret_value(),
                refresh_token=refresh.get_secret_value() if refresh is not None else None,
            )
        return self.token_auth_class(
            connector=self.name,
            owner=self.settings.token_owner,
            store=self.token_store,
            refresher=self.refresher(),
            is_expired=self.is_expired,
            initial=initial,
        )

    def refresher(self) -> TokenRefresher:
        raise NotImplementedError(f"{type(self).__name__} sets token_auth_class but has no refresher()")

    def is_expired(self, response: httpx.Response) -> bool:
        """True when a reply says the access token expired (HTTP 401 or a vendor REFRESH code)."""
        if response.status_code == 401:
            return True
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(self.classify(body), AuthExpiredError)

    def window_request(self, stream: Stream, account: str, start: datetime, end: datetime) -> PageRequest:
        raise NotImplementedError

    def classify(self, body: Any) -> ConnectorError | None:
        return None

    def parse_records(self, stream: Stream, body: Any) -> list[dict[str, Any]]:
        records = dig(body, stream.records_path)
        return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []

    def cursor_value(self, stream: Stream, record: dict[str, Any]) -> str | None:
        value = record.get(stream.cursor_field)
        return vendor_time_to_cursor(value, stream.cursor_format) if isinstance(value, str) else None

    # -- the loop -------------------------------------------------------------------------------
    def _default_start(self, upper: datetime) -> datetime:
        if self.settings.start_date is not None:
            start = self.settings.start_date
            return start if start.tzinfo else start.replace(tzinfo=CST)
        return upper - timedelta(days=self.settings.initial_lookback_days)

    def _pages(
        self, client: httpx.Client, spec: Stream, account: str, start: datetime, stop: datetime
    ) -> Iterator[tuple[list[SourceRecord], bool]]:
        request = self.window_request(spec, account, start, stop)
        paginator = spec.paginator(self.settings)
        paginator.start(request)
        while True:
            body, headers = self._fetch(client, spec, request)
            raw = self.parse_records(spec, body)
            has_next = paginator.advance(request, body, raw, headers)
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s/%s %s page %d: %d records %s", self.name, spec.name, account,
                             paginator.pages, len(raw), redact_body(raw, limit=300))  # fmt: skip
            yield [self._record(spec, account, r) for r in raw], not has_next
            if not has_next:
                return

    def _fetch(self, client: httpx.Client, spec: Stream, request: PageRequest) -> tuple[Any, httpx.Headers]:
        what = f"{self.name}/{spec.name}"
        tags = request_tags(self.name, spec.name)

        def attempt() -> tuple[Any, httpx.Headers]:
            response = client.request(
                spec.method, request.url, params=request.params or None, json=request.json, extensions=tags
            )
            problem = error_for_status(
                response.status_code,
                connector=self.name,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
            if problem is not None:
                raise problem
            try:
                body = response.json()
            except ValueError as exc:
                raise RetriableError(f"{what}: reply is not JSON", connector=self.name) from exc
            vendor_error = self.classify(body)
            if vendor_error is not None:
                raise vendor_error
            return body, response.headers

        def count_retry(exc: BaseException) -> None:
            self.metrics.count_retry((self.name, spec.name))

        return call_with_retry(attempt, self.settings, what=what, on_retry=count_retry)

    def _record(self, spec: Stream, account: str, raw: dict[str, Any]) -> SourceRecord:
        try:
            spec.payload_model.model_validate(raw)
        except ValidationError as exc:
            logger.warning("%s/%s: record does not match %s: %s", self.name, spec.name,
                           spec.payload_model.__name__, exc.error_count())  # fmt: skip
        key = raw.get(spec.primary_key)
        if key in (None, ""):
            digest = hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            key = f"sha256:{digest[:32]}"
            logger.warning("%s/%s: record without %s, keyed %s", self.name, spec.name, spec.primary_key, key)
        return SourceRecord(
            external_id=str(key), account=account, payload=raw, cursor_value=self.cursor_value(spec, raw)
        )


def _windows(lower: datetime, upper: datetime, size: timedelta | None) -> Iterator[tuple[datetime, datetime]]:
    """``[lower, upper]`` cut into consecutive windows of at most ``size`` (one window without size)."""
    if size is None or upper - lower <= size:
        yield lower, upper
        return
    start = lower
    while start < upper:
        stop = min(start + size, upper)
        yield start, stop
        start = stop
