"""Incremental cursor: closed lower bound, boundary ties by key, never backwards, lag window."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from connectors.base import CursorState, SourceRecord
from connectors.incremental import CST, Incremental, parse_cursor, vendor_time_to_cursor
from mapping.timestamps import to_cursor

BASE = datetime(2026, 11, 20, 10, 0, 0, tzinfo=CST)


def rec(key: str, second: int | None) -> SourceRecord:
    value = to_cursor(BASE + timedelta(seconds=second)) if second is not None else None
    return SourceRecord(external_id=key, account="a", payload={}, cursor_value=value)


# Records with a few distinct seconds, so ties are common; keys unique.
records_strategy = st.lists(st.integers(min_value=0, max_value=5), max_size=30).map(
    lambda seconds: [rec(f"k{i}", s) for i, s in enumerate(seconds)]
)


def pages_of(records: list[SourceRecord], cuts: list[int]) -> list[list[SourceRecord]]:
    bounds = sorted({0, len(records), *(c % (len(records) + 1) for c in cuts)})
    return [records[a:b] for a, b in itertools.pairwise(bounds)]


@given(records_strategy, st.lists(st.integers(min_value=0, max_value=40), max_size=5), st.randoms())
def test_final_state_is_the_max_with_its_ties_whatever_the_order_and_pages(
    records: list[SourceRecord], cuts: list[int], rnd: object
) -> None:
    shuffled = records[:]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    cursor = Incremental(CursorState())
    states = []
    for page in pages_of(shuffled, cuts):
        cursor.admit(page)
        states.append(cursor.state)
    values = [parse_cursor(s.value) for s in states if s.value]
    assert values == sorted(values), "the running state never goes backwards"
    if records:
        top = max(r.cursor_value for r in records if r.cursor_value)
        assert cursor.state.value == top
        assert set(cursor.state.boundary_keys) == {r.external_id for r in records if r.cursor_value == top}


@given(records_strategy, records_strategy)
def test_a_second_pull_returns_only_records_not_landed(
    first: list[SourceRecord], later: list[SourceRecord]
) -> None:
    one = Incremental(CursorState())
    landed = one.admit(first)
    assert len(landed) == len(first)
    late = [SourceRecord(f"new{r.external_id}", "a", {}, r.cursor_value) for r in later]
    two = Incremental(one.state)
    again = two.admit(first + late)
    assert {r.external_id for r in again}.isdisjoint({r.external_id for r in landed})
    bound = parse_cursor(one.state.value) if one.state.value else None
    expected = {r.external_id for r in late if bound is None or parse_cursor(r.cursor_value or "") >= bound}
    assert {r.external_id for r in again} == expected
    if one.state.value and two.state.value:
        assert parse_cursor(two.state.value) >= parse_cursor(one.state.value)


def test_boundary_ties_are_deduplicated_by_key() -> None:
    start = CursorState(value=to_cursor(BASE), boundary_keys=("a", "b"))
    cursor = Incremental(start)
    fresh = cursor.admit([rec("a", 0), rec("b", 0), rec("c", 0), rec("d", -5), rec("e", 1)])
    assert [r.external_id for r in fresh] == ["c", "e"]
    assert cursor.state == CursorState(value=to_cursor(BASE + timedelta(seconds=1)), boundary_keys=("e",))


def test_ties_at_an_unmoved_value_add_to_the_boundary_keys() -> None:
    cursor = Incremental(CursorState(value=to_cursor(BASE), boundary_keys=("a",)))
    cursor.admit([rec("c", 0)])
    assert cursor.state.boundary_keys == ("a", "c")


def test_a_key_is_never_emitted_twice_in_one_pull() -> None:
    cursor = Incremental(CursorState())
    assert len(cursor.admit([rec("a", 1)])) == 1
    assert cursor.admit([rec("a", 1), rec("a", 2)]) == []


def test_records_without_a_cursor_pass_but_do_not_move_it() -> None:
    cursor = Incremental(CursorState())
    assert [r.external_id for r in cursor.admit([rec("x", None)])] == ["x"]
    assert cursor.state == CursorState()


def test_lag_window_reads_earlier_and_readmits_late_records() -> None:
    start = CursorState(value=to_cursor(BASE), boundary_keys=("a",))
    cursor = Incremental(start, lag=timedelta(minutes=10))
    default = BASE - timedelta(days=30)
    assert cursor.lower_bound(default) == BASE - timedelta(minutes=10)
    fresh = cursor.admit([rec("late", -60), rec("a", 0)])
    assert [r.external_id for r in fresh] == ["late"]
    assert cursor.state.value == start.value, "the cursor does not go back for the lag"
    assert Incremental(CursorState()).lower_bound(default) == default


def test_committed_moves_only_on_commit() -> None:
    cursor = Incremental(CursorState())
    cursor.admit([rec("a", 3)])
    assert cursor.committed == CursorState()
    assert cursor.commit() == cursor.state == cursor.committed


def test_cursor_text_is_beijing_time_iso_and_sortable() -> None:
    assert vendor_time_to_cursor("2026-11-20 10:21:33") == "2026-11-20T10:21:33+08:00"
    assert vendor_time_to_cursor("20/11/2026") is None
    assert to_cursor(datetime(2026, 11, 20, 2, 21, 33, tzinfo=UTC)) == "2026-11-20T10:21:33+08:00"
    assert to_cursor(datetime(2026, 11, 20, 10, 21, 33)) == "2026-11-20T10:21:33+08:00"
    comparing = Incremental(CursorState(value="2026-11-20T02:21:33+00:00", boundary_keys=("a",)))
    assert comparing.admit([SourceRecord("a", "x", {}, "2026-11-20T10:21:33+08:00")]) == []
