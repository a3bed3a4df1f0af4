"""Vendor truth kept honest (issue 17): every vendor connector's README carries a conformance table
whose rows each name a source and a confidence, and every vendor fixture is named in its folder's
README (where it was transcribed from) and used by a test. A fact without a source must say so."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
VENDORS = [
    "ocean_engine",
    "tencent_ads",
    "baidu",
    "amap",
    "kingdee",
    "yonyou",
    "dingtalk",
    "wecom",
    "aliyun_sms",
]
CONFIDENCE = re.compile(r"\b(high|medium|low|unsourced)\b|^n/a\b", re.IGNORECASE)  # n/a: not implemented
CELL = re.compile(r"(?<!\\)\|")  # a cell boundary, not an escaped pipe inside a cell
TESTS_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py"))


def table_rows(readme: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the first table under '## Conformance table'."""
    section = readme.split("## Conformance table", 1)[1]
    lines = [line.strip() for line in section.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table: list[list[str]] = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in CELL.split(line.strip("|"))])
    header, rows = table[0], [row for row in table[2:] if any(row)]
    return [h.lower() for h in header], rows


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_wire_fact_names_its_source_and_confidence(vendor: str) -> None:
    readme = (ROOT / "connectors" / vendor / "README.md").read_text(encoding="utf-8")
    assert "## Conformance table" in readme, f"{vendor}/README.md has no conformance table"
    header, rows = table_rows(readme)
    assert "source" in header and "confidence" in header, header
    source, confidence = header.index("source"), header.index("confidence")
    assert len(rows) >= 5, f"{vendor}: a conformance table of {len(rows)} facts is not a table"
    for row in rows:
        said = row[confidence] if confidence < len(row) else ""
        assert CONFIDENCE.search(said), f"{vendor}: no confidence mark in {row[0]!r}"
        cited = row[source] if source < len(row) else ""
        unsourced = "unsourced" in said.lower() or said.lower().startswith("n/a")
        assert cited.strip("—- ") or unsourced, f"{vendor}: {row[0]!r} has no source"


def fixture_files(vendor: str) -> list[Path]:
    folder = ROOT / "tests" / "fixtures" / vendor
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "README.md")


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_vendor_fixture_names_its_source_and_is_used(vendor: str) -> None:
    files = fixture_files(vendor)
    assert files, f"no vendor fixtures for {vendor}"
    for path in files:
        readmes = [p / "README.md" for p in (path.parent, path.parent.parent) if (p / "README.md").is_file()]
        said = "\n".join(r.read_text(encoding="utf-8") for r in readmes)
        patterns = re.findall(r"`([^`]*\*[^`]*)`", said)  # `error_*.json` names a family of files
        named = path.name in said or any(fnmatch(path.name, p) for p in patterns)
        assert named, f"{path.relative_to(ROOT)} is not named in its folder's README"
        assert path.name in TESTS_TEXT or path.stem in TESTS_TEXT, f"no test reads {path.relative_to(ROOT)}"
