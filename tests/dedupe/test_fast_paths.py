"""The fast paths of the normalisers give exactly the answers of the slow paths they skip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapping._text import _t2s, _t2s_changes, has_cjk, is_cjk, to_simplified

_CHANGES = _t2s_changes() or {}
_KEYS = sorted({key for keys in _CHANGES.values() for key in keys})
_PIECES = st.one_of(
    st.sampled_from(_KEYS),  # keys that change the text (traditional characters and phrases)
    st.sampled_from(sorted({c for key in _KEYS for c in key})),  # their characters on their own
    st.sampled_from(list("杭州智联医疗器械有限公司苏州信息科技河沙重文子生 ()abc123")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_to_simplified_is_opencc_t2s(text: str) -> None:
    expected = str(_t2s().convert(text)) if has_cjk(text) else text
    assert to_simplified.__wrapped__(text) == expected


def test_the_identity_fast_path_covers_plain_simplified_names() -> None:
    assert _CHANGES, "OpenCC's t2s dictionary is no longer one plain round: no fast path"
    assert to_simplified.__wrapped__("杭州智联医疗器械有限公司") == "杭州智联医疗器械有限公司"
    assert to_simplified.__wrapped__("杭州志联醫療器械有限公司") == "杭州志联医疗器械有限公司"


@given(st.text(max_size=20))
def test_has_cjk_is_any_is_cjk(text: str) -> None:
    assert has_cjk(text) == any(is_cjk(c) for c in text)


def test_preparing_in_two_processes_gives_what_one_process_gives() -> None:
    from dedupe.generate import generate
    from dedupe.records import prepare_many

    records = [r for r, _ in generate(3000, seed=5)]
    assert prepare_many(records, processes=2) == prepare_many(records, processes=1)


def test_already_prepared_records_are_not_sent_to_a_second_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import dedupe.records as records_module
    from dedupe.generate import generate

    forks: list[int] = []
    monkeypatch.setattr(records_module, "FORK_MIN", 10)
    monkeypatch.setattr(records_module, "can_fork", lambda: True)
    monkeypatch.setattr(records_module, "_prepare_forked", lambda rs: forks.append(len(rs)) or [])
    raw = [r for r, _ in generate(40, seed=5)]
    prepared = records_module.prepare_many(raw, processes=1)
    assert records_module.prepare_many(prepared) == prepared and forks == []  # passed through here
    records_module.prepare_many(raw)
    assert forks == [len(raw)]  # raw records of the same count do go to the fork


def test_two_processes_give_both_halves_and_a_failed_child_is_done_here() -> None:
    import os

    from dedupe._fork import in_two_processes

    parent = os.getpid()
    assert in_two_processes(lambda: [1, 2], lambda: [(3, os.getpid() != parent)]) == ([1, 2], [(3, True)])

    def fails_in_the_child() -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("the child's half fails")
        return [4]

    assert in_two_processes(lambda: [1], fails_in_the_child) == ([1], [4])
