"""Pagination strategies: page number, offset, cursor token and next link.

A paginator is created fresh for each time window. ``start(request)`` puts the first page's
parameters on a :class:`PageRequest`; after each page, ``advance(request, body, records, headers)``
checks the guards and either moves the request to the next page (returns True) or says it was the
last page (returns False).

Guards, common to all: every token, page number, link and page content already seen is remembered
(all of them, not just the last) and seeing one again raises
:class:`~connectors.errors.PaginationError`, as does going past ``max_pages``.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from connectors.errors import PaginationError

__all__ = [
    "CursorPaginator",
    "DeepPagePaginator",
    "NextLinkPaginator",
    "OffsetPaginator",
    "PageNumberPaginator",
    "PageRequest",
    "Paginator",
    "dig",
    "walk_pages",
]

Location = Literal["query", "json"]
Headers = Mapping[str, str]


def dig(data: Any, path: str | None) -> Any:
    """``data`` followed along a dotted path (``data.page_info.total_page``; digits index lists)."""
    if not path:
        return data
    for part in path.split("."):
        if isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(data, Sequence) and not isinstance(data, str) and part.isdigit():
            data = data[int(part)] if int(part) < len(data) else None
        else:
            return None
    return data


@dataclass
class PageRequest:
    """What to send for one page: a path or absolute URL, query parameters and an optional JSON body."""

    url: str
    params: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None

    def put(self, location: Location, name: str, value: Any) -> None:
        """Set ``name`` (dotted for nested JSON keys) in the query or the JSON body."""
        if location == "query":
            self.params[name] = value
            return
        target = self.json if self.json is not None else {}
        self.json = target
        *parents, leaf = name.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value


class Paginator(ABC):
    """Base strategy with the loop guards; subclasses implement ``_first`` and ``_next``."""

    def __init__(self, *, max_pages: int = 10_000, location: Location = "query") -> None:
        self.max_pages = max_pages
        self.location = location
        self.pages = 0
        self._seen_tokens: set[str] = set()
        self._seen_pages: set[str] = set()

    def start(self, request: PageRequest) -> None:
        self.pages = 0
        self._seen_tokens.clear()
        self._seen_pages.clear()
        self._first(request)

    def advance(
        self,
        request: PageRequest,
        body: Any,
        records: Sequence[Any],
        headers: Mapping[str, str] | None = None,
    ) -> bool:
        self.pages += 1
        if records:
            digest = hashlib.sha256(json.dumps(records, sort_keys=True, default=str).encode()).hexdigest()
            if digest in self._seen_pages:
                raise PaginationError(f"page {self.pages} repeats an earlier page: the vendor ignores paging")
            self._seen_pages.add(digest)
        if not self._next(request, body, records, headers or {}):
            return False
        if self.pages >= self.max_pages:
            raise PaginationError(f"more than max_pages={self.max_pages} pages: narrow the window")
        return True

    def _remember(self, token: object) -> None:
        key = str(token)
        if key in self._seen_tokens:
            raise PaginationError(f"pagination token {key[:40]!r} was already seen: stopping a loop")
        self._seen_tokens.add(key)

    @abstractmethod
    def _first(self, request: PageRequest) -> None: ...

    @abstractmethod
    def _next(self, request: PageRequest, body: Any, records: Sequence[Any], headers: Headers) -> bool: ...


class PageNumberPaginator(Paginator):
    """``page=1,2,…``; stops at ``total_pages_path`` (a page count) or ``total_records_path`` (a record
    count: the last page is the one whose positions reach it) when the vendor says it, else on a short
    page."""

    def __init__(
        self,
        *,
        page_param: str = "page",
        size_param: str = "page_size",
        page_size: int = 100,
        first_page: int = 1,
        total_pages_path: str | None = None,
        max_pages: int = 10_000,
        location: Location = "query",
        total_records_path: str | None = None,
        as_text: bool = False,
    ) -> None:
        super().__init__(max_pages=max_pages, location=location)
        self.page_param, self.size_param, self.page_size = page_param, size_param, page_size
        self.first_page, self.total_pages_path = first_page, total_pages_path
        self.total_records_path = total_records_path
        self.as_text = as_text  # YonBIP types pageIndex/pageSize as strings in a JSON body
        self.page = first_page

    def _number(self, value: int) -> int | str:
        return str(value) if self.as_text else value

    def _first(self, request: PageRequest) -> None:
        self.page = self.first_page
        self._remember(self.page)
        request.put(self.location, self.page_param, self._number(self.page))
        request.put(self.location, self.size_param, self._number(self.page_size))

    def _next(self, request: PageRequest, body: Any, records: Sequence[Any], headers: Headers) -> bool:
        if not records:
            return False
        total = dig(body, self.total_pages_path) if self.total_pages_path else None
        count = dig(body, self.total_records_path) if self.total_records_path else None
        if isinstance(count, int) and not isinstance(count, bool):
            if (self.page - self.first_page + 1) * self.page_size >= count:
                return False
        elif total is not None:
            if self.page - self.first_page + 1 >= int(total):
                return False
        elif len(records) < self.page_size:
            return False
        self.page += 1
        self._remember(self.page)
        request.put(self.location, self.page_param, self._number(self.page))
        return True


class DeepPagePaginator(PageNumberPaginator):
    """Page numbers while they reach, then "search after" the last record (Tencent Ads past 5,000).

    Vendors that page by number only to a fixed depth continue with a key built from the previous
    page's last record (``after_of``), sent as ``after_param`` with the page number removed. The
    window's size is read once, from the first page (``total_records_path``), and paging stops when
    that many records were read or a page comes back empty, never on a short page: a vendor may
    return fewer records than asked for in the middle of a window.
    """

    def __init__(
        self,
        *,
        depth: int,
        after_param: str,
        after_of: Callable[[Any], Any],
        total_records_path: str,
        **numbered: Any,
    ) -> None:
        super().__init__(**numbered)
        self.depth, self.after_param, self.after_of = depth, after_param, after_of
        self.total_records_path = total_records_path
        self.total: int | None = None
        self.seen = 0
        self.searching = False

    def _first(self, request: PageRequest) -> None:
        self.total, self.seen, self.searching = None, 0, False
        request.params.pop(self.after_param, None)
        super()._first(request)

    def _next(self, request: PageRequest, body: Any, records: Sequence[Any], headers: Headers) -> bool:
        if not records:
            return False
        if self.total is None:
            total = dig(body, self.total_records_path)
            self.total = total if isinstance(total, int) and not isinstance(total, bool) else None
        self.seen += len(records)
        if self.total is not None and self.seen >= self.total:
            return False
        if not self.searching and (self.page + 1) * self.page_size <= self.depth:
            if self.total is None and not super()._next(request, body, records, headers):
                return False
            if self.total is not None:
                self.page += 1
                self._remember(self.page)
                request.put(self.location, self.page_param, self._number(self.page))
            return True
        if not self.searching:
            self.searching = True
            if self.location == "query":
                request.params.pop(self.page_param, None)
            elif request.json is not None:
                request.json.pop(self.page_param, None)
        token = self.after_of(records[-1])
        self._remember(token)
        request.put(self.location, self.after_param, token)
        return True


class OffsetPaginator(Paginator):
    """``offset=0,limit,2*limit,…``; stops at ``total_path`` when given, else on a short page."""

    def __init__(
        self,
        *,
        offset_param: str = "offset",
        limit_param: str = "limit",
        limit: int = 100,
        total_path: str | None = None,
        max_pages: int = 10_000,
        location: Location = "query",
    ) -> None:
        super().__init__(max_pages=max_pages, location=location)
        self.offset_param, self.limit_param, self.limit = offset_param, limit_param, limit
        self.total_path = total_path
        self.offset = 0

    def _first(self, request: PageRequest) -> None:
        self.offset = 0
        self._remember(self.offset)
        request.put(self.location, self.offset_param, self.offset)
        request.put(self.location, self.limit_param, self.limit)

    def _next(self, request: PageRequest, body: Any, records: Sequence[Any], headers: Headers) -> bool:
        if not records:
            return False
        self.offset += len(records)
        total = dig(body, self.total_path) if self.total_path else None
        if (total is not None and self.offset >= int(total)) or (total is None and len(records) < self.limit):
            return False
        self._remember(self.offset)
        request.put(self.location, self.offset_param, self.offset)
        return True


class CursorPaginator(Paginator):
    """The response names the next page by an opaque token at ``cursor_path``; empty means done."""

    def __init__(
        self,
        *,
        cursor_param: str = "cursor",
        cursor_path: str = "next_cursor",
        has_more_path: str | None = None,
        max_pages: int = 10_000,
        location: Location = "query",
    ) -> None:
        super().__init__(max_pages=max_pages, location=location)
        self.cursor_param, self.cursor_path, self.has_more_path = cursor_param, cursor_path, has_more_path

    def _first(self, request: PageRequest) -> None:
        if self.location == "query":
            request.params.pop(self.cursor_param, None)

    def _next(self, request: PageRequest, body: Any, records: Sequence[Any], headers: Headers) -> bool:
        token = dig(body, self.cursor_path)
        if token in (None, "", 0) or (self.has_more_path and not dig(body, self.has_more_path)):
            return False
        self._remember(token)
        request.put(self.location, self.cursor_param, token)
        return True


class NextLinkPaginator(Paginator):
    """The next page's URL is in the body at ``next_path`` or, without a path, in the Link header."""

    def __init__(self, *, next_path: str | None = "next", max_pages: int = 10_000) -> None:
        super().__init__(max_pages=max_pages)
        self.next_path = next_path

    def _first(self, request: PageRequest) -> None:
        self._remember(request.url)

    def _next(self, request: PageRequest, body: Any, records: Sequence[Any], headers: Headers) -> bool:
        link = dig(body, self.next_path) if self.next_path else _link_next(headers.get("link", ""))
        if not link:
            return False
        self._remember(link)
        request.url = str(link)
        request.params = {}
        return True


def walk_pages(
    paginator: Paginator,
    request: PageRequest,
    fetch: Callable[[PageRequest], Any],
    records_of: Callable[[Any], list[Any]],
) -> Iterator[list[Any]]:
    """The page loop for clients that send requests themselves (the ERP gateways): ``fetch`` turns
    the request into a reply body, ``records_of`` finds its records; every non-empty page's records
    are yielded until the paginator says the last page was read, with its loop guards."""
    paginator.start(request)
    while True:
        body = fetch(request)
        records = records_of(body)
        if records:
            yield records
        if not paginator.advance(request, body, records):
            return


def _link_next(header: str) -> str | None:
    for part in header.split(","):
        url, _, rest = part.partition(";")
        if 'rel="next"' in rest.replace(" ", "") or "rel=next" in rest.replace(" ", ""):
            return url.strip().strip("<>")
    return None
