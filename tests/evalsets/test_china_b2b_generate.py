"""The china_b2b evaluation-set generator: deterministic, well-formed, and varied at its documented rates."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from random import Random

import pytest

from evalsets.china_b2b import generate as gen
from evalsets.china_b2b.rates import expected_rates
from evalsets.china_b2b.text import USCC_CHARSET, chinese_number, make_uscc, uscc_check, uscc_valid

README = Path(gen.__file__).with_name("README.md")


@pytest.fixture(scope="module")
def big() -> gen.Dataset:
    return gen.generate(30000, seed=11)


def _run(tmp: Path, records: int, seed: int) -> Path:
    out = tmp / f"{records}-{seed}-{len(list(tmp.iterdir()))}"
    assert (
        gen.main(
            [
                "--records",
                str(records),
                "--seed",
                str(seed),
                "--out",
                str(out),
                "--stats",
                str(out / "s.json"),
            ]
        )
        == 0
    )
    return out


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a, b, c = _run(tmp_path, 3000, 5), _run(tmp_path, 3000, 5), _run(tmp_path, 3000, 6)
    for name in ("records.csv", "truth.csv", "s.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (a / "records.csv").read_bytes() != (c / "records.csv").read_bytes()


def test_headers_ids_and_truth_cover_every_record(tmp_path: Path) -> None:
    out = _run(tmp_path, 2000, 3)
    with (out / "records.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with (out / "truth.csv").open(encoding="utf-8", newline="") as f:
        truth = list(csv.reader(f))
    assert rows[0] == ["id", "company", "contact", "phone", "email", "address", "uscc"]
    assert truth[0] == ["id", "entity"]
    assert all(len(row) == 7 for row in rows[1:])
    ids = [row[0] for row in rows[1:]]
    assert len(ids) == 2000 == len(set(ids))
    assert [row[0] for row in truth[1:]] == ids
    assert all(any(row[1:]) for row in rows[1:])
    stats = json.loads((out / "s.json").read_text(encoding="utf-8"))
    assert stats["records"] == 2000
    assert len({row[1] for row in truth[1:]}) == stats["entities"]


def test_entity_count_and_cluster_sizes(big: gen.Dataset) -> None:
    entities = len(set(big.entities))
    assert entities == big.stats["entities"]
    assert 2.0 < 30000 / entities < 2.2  # about 30,000 companies for 63,000 records
    sizes = {int(k): v for k, v in big.stats["cluster_sizes"].items()}
    assert max(sizes) == 10 and sizes[1] > sizes[2] > sizes[3] > sizes[10] > 0


def test_every_kind_occurs_at_its_rate(big: gen.Dataset) -> None:
    kinds = big.stats["kinds"]
    assert set(kinds) == set(expected_rates())
    off = []
    for key, k in kinds.items():
        p, n = k["expected"], k["of"]
        assert n >= 150, f"{key}: only {n} eligible"
        if abs(k["rate"] - p) > 4 * math.sqrt(p * (1 - p) / n) + 0.005:
            off.append(f"{key}: {k['rate']:.4f} of {n}, expected {p:.4f}")
    assert not off, off


def test_readme_documents_every_kind_with_its_rate() -> None:
    table = dict(re.findall(r"^\| `([^`]+)` \| ([0-9.]+)% \|", README.read_text(encoding="utf-8"), re.M))
    expected = {key: f"{100 * p:.1f}" for key, p in expected_rates().items()}
    assert table == expected


def test_uscc_check_character() -> None:
    assert uscc_valid("91350100M000100Y43")  # the example of GB 32100-2015
    assert uscc_check("91350100M000100Y4") == "3"
    rng = Random(1)
    for _ in range(200):
        code = make_uscc(rng, "330106")
        assert uscc_valid(code) and code.startswith("91330106") and set(code) <= set(USCC_CHARSET)
        i = rng.randrange(17)
        wrong = code[:i] + USCC_CHARSET[(USCC_CHARSET.index(code[i]) + 1) % 31] + code[i + 1 :]
        assert not uscc_valid(wrong)


def test_uscc_in_records_are_valid_unless_mistyped(big: gen.Dataset) -> None:
    codes = [next(csv.reader([line]))[5] for line in big.lines]  # lines have no id column
    present = [c for c in codes if c]
    valid = sum(map(uscc_valid, present)) / len(present)
    assert abs((1 - valid) - expected_rates()["uscc:typo"]) < 0.015


def test_chinese_numerals() -> None:
    assert [chinese_number(n) for n in (7, 10, 15, 90, 105, 1203, 1030)] == [
        "七", "十", "十五", "九十", "一百零五", "一千二百零三", "一千零三十",
    ]  # fmt: skip
