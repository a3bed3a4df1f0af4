"""Pagination strategies and their loop guards."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.errors import PaginationError
from connectors.pagination import (
    CursorPaginator,
    NextLinkPaginator,
    OffsetPaginator,
    PageNumberPaginator,
    PageRequest,
    Paginator,
    dig,
)


def walk(paginator: Paginator, replies: list[tuple[Any, list[Any]]], **headers: str) -> list[dict[str, Any]]:
    """Feed canned (body, records) replies; return the request parameters of every page sent."""
    request = PageRequest("/x", params={"fixed": 1})
    paginator.start(request)
    sent = [dict(request.params, _url=request.url, _json=copy.deepcopy(request.json))]
    for body, records in replies:
        if not paginator.advance(request, body, records, headers):
            return sent
        sent.append(dict(request.params, _url=request.url, _json=copy.deepcopy(request.json)))
    raise AssertionError("the paginator did not stop")


def rows(start: int, n: int) -> list[dict[str, int]]:
    return [{"id": i} for i in range(start, start + n)]


def test_page_number_stops_at_the_total_the_vendor_gives() -> None:
    pager = PageNumberPaginator(page_size=2, total_pages_path="data.page_info.total_page")
    body = {"data": {"page_info": {"total_page": 3}}}
    sent = walk(pager, [(body, rows(0, 2)), (body, rows(2, 2)), (body, rows(4, 1))])
    assert [p["page"] for p in sent] == [1, 2, 3]
    assert all(p["page_size"] == 2 and p["fixed"] == 1 for p in sent)


def test_page_number_without_total_stops_on_a_short_or_empty_page() -> None:
    assert len(walk(PageNumberPaginator(page_size=2), [({}, rows(0, 2)), ({}, rows(2, 1))])) == 2
    assert len(walk(PageNumberPaginator(page_size=2), [({}, rows(0, 2)), ({}, [])])) == 2


def test_page_number_in_a_nested_json_body() -> None:
    pager = PageNumberPaginator(
        page_param="body.pageNo", size_param="body.pageSize", page_size=1, location="json"
    )
    sent = walk(pager, [({}, rows(0, 1)), ({}, [])])
    assert [p["_json"] for p in sent] == [
        {"body": {"pageNo": 1, "pageSize": 1}},
        {"body": {"pageNo": 2, "pageSize": 1}},
    ]


def test_a_vendor_that_ignores_the_page_parameter_is_caught() -> None:
    same = rows(0, 2)
    with pytest.raises(PaginationError, match="repeats an earlier page"):
        walk(PageNumberPaginator(page_size=2), [({}, same), ({}, rows(2, 2)), ({}, same)])


def test_max_pages_is_enforced() -> None:
    with pytest.raises(PaginationError, match="max_pages=3"):
        walk(PageNumberPaginator(page_size=1, max_pages=3), [({}, rows(i, 1)) for i in range(10)])


def test_offset_with_and_without_total() -> None:
    sent = walk(OffsetPaginator(limit=2, total_path="total"), [({"total": 5}, rows(0, 2)), ({"total": 5}, rows(2, 2)),
                                                               ({"total": 5}, rows(4, 1))])  # fmt: skip
    assert [p["offset"] for p in sent] == [0, 2, 4]
    assert [p["offset"] for p in walk(OffsetPaginator(limit=2), [({}, rows(0, 2)), ({}, rows(2, 1))])] == [
        0,
        2,
    ]


def test_cursor_follows_tokens_until_none() -> None:
    pager = CursorPaginator(cursor_param="cursor", cursor_path="next")
    sent = walk(
        pager, [({"next": "A"}, rows(0, 1)), ({"next": "B"}, rows(1, 1)), ({"next": None}, rows(2, 1))]
    )
    assert [p.get("cursor") for p in sent] == [None, "A", "B"]


def test_cursor_guard_remembers_every_token_not_just_the_last() -> None:
    pager = CursorPaginator(cursor_path="next")
    with pytest.raises(PaginationError, match="'A' was already seen"):
        walk(pager, [({"next": "A"}, rows(0, 1)), ({"next": "B"}, rows(1, 1)), ({"next": "A"}, rows(2, 1))])


def test_cursor_has_more_flag_stops() -> None:
    pager = CursorPaginator(cursor_path="next", has_more_path="more")
    assert len(walk(pager, [({"next": "A", "more": False}, rows(0, 1))])) == 1


def test_next_link_in_body_and_in_link_header() -> None:
    sent = walk(
        NextLinkPaginator(next_path="links.next"), [({"links": {"next": "/x?p=2"}}, rows(0, 1)), ({}, [])]
    )
    assert [p["_url"] for p in sent] == ["/x", "/x?p=2"]
    assert sent[1].get("fixed") is None  # the link carries its own query

    pager = NextLinkPaginator(next_path=None)
    request = PageRequest("/x")
    pager.start(request)
    assert pager.advance(request, {}, rows(0, 1), {"link": '</x?p=2>; rel="next", </x?p=9>; rel="last"'})
    assert request.url == "/x?p=2"
    assert not pager.advance(request, {}, rows(1, 1), {"link": '</x?p=9>; rel="last"'})


def test_next_link_loop_is_caught() -> None:
    with pytest.raises(PaginationError):
        walk(NextLinkPaginator(), [({"next": "/b"}, rows(0, 1)), ({"next": "/x"}, rows(1, 1))])


def test_start_resets_the_guards_for_a_new_window() -> None:
    pager = CursorPaginator(cursor_path="next")
    walk(pager, [({"next": "A"}, rows(0, 1)), ({}, rows(1, 1))])
    walk(pager, [({"next": "A"}, rows(0, 1)), ({}, rows(1, 1))])  # same token, new window: fine


def test_dig() -> None:
    data = {"a": {"b": [{"c": 1}, {"c": 2}]}}
    assert dig(data, "a.b.1.c") == 2
    assert dig(data, "a.x.c") is None
    assert dig(data, "a.b.9") is None
    assert dig(data, None) is data
