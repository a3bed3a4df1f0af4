"""Contact names: titles and departments split off, widths and spaces tidied."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapping import PersonName, normalise_person_name


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("王总", "王", "总"),
        ("王伟(采购部)", "王伟", "采购部"),
        ("王伟（采购部）", "王伟", "采购部"),
        ("王伟【采购部】", "王伟", "采购部"),
        ("李经理", "李", "经理"),
        ("李主任医师", "李", "主任医师"),
        ("欧阳总", "欧阳", "总"),
        ("张工", "张", "工"),
        ("王伟 经理", "王伟", "经理"),
        ("采购部 王伟", "王伟", "采购部"),
        ("王伟/采购经理", "王伟", "采购经理"),
        ("陳經理", "陈", "经理"),
        ("王 伟", "王伟", None),
        ("  张三  ", "张三", None),
        ("王建工", "王建工", None),  # a name ending in 工, not 王 the engineer
        ("ＷＡＮＧ　Ｗｅｉ", "WANG Wei", None),
        ("Mr. John  Smith", "John Smith", "Mr."),
        ("采购部", None, "采购部"),
        ("-", None, None),
        ("123", None, None),
        ("", None, None),
    ],
)
def test_examples(text: str, name: str | None, title: str | None) -> None:
    assert normalise_person_name(text) == PersonName(name, title)


SURNAMES = st.sampled_from(list("王李张刘陈杨赵黄周吴"))
GIVEN = st.text(alphabet=st.sampled_from(list("伟芳娜敏静丽强磊军洋")), min_size=1, max_size=2)
TITLES = st.sampled_from(["经理", "总监", "主任", "采购部", "院长"])


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(surname=SURNAMES, given_name=GIVEN, title=TITLES)
def test_title_is_split_off_however_written(surname: str, given_name: str, title: str) -> None:
    full = surname + given_name
    for text in (
        f"{full}{title}",
        f"{full}({title})",
        f"{full}（{title}）",
        f"{full} {title}",
        f"{full}/{title}",
    ):
        assert normalise_person_name(text) == PersonName(full, title), text


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(st.text(max_size=40))
def test_never_raises_and_respects_model_limits(text: str) -> None:
    result = normalise_person_name(text)
    assert result.name is None or 0 < len(result.name) <= 100
    assert result.title is None or 0 < len(result.title) <= 60
