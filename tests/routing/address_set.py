"""The committed labelled address set (tests/fixtures/addresses) and its scoring."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mapping.address import AddressHints, parse_address
from mapping.address.table import DivisionTable, division_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "addresses"


@dataclass(frozen=True)
class Labelled:
    address: str
    hints: AddressHints
    truth: str | None  # the true district's adcode (or the finest known division); None: unknown
    ambiguous: bool  # the offline parse must not claim one district
    source_kind: str = ""  # public.tsv only: government, university, hospital, company, ...


def _truth_from_names(names: str, table: DivisionTable) -> str | None:
    if names == "-":
        return None
    current: str | None = None
    for name in names.split("/"):
        if name == "-":
            continue
        matches = [
            h.division
            for h in table.lookup(name)
            if h.full and (current is None or h.division.parent == current or h.division.adcode == current)
        ]
        assert len(matches) == 1, f"label {names!r}: {name} is not one division under {current}"
        current = matches[0].adcode
    return current


def load_labelled(names: tuple[str, ...] = ("handwritten.tsv", "generated.tsv")) -> list[Labelled]:
    table = division_table()
    rows: list[Labelled] = []
    for name in names:
        for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            address, city, phone, truth, label = line.split("\t")
            adcode = _truth_from_names(truth, table) if "/" in truth or truth == "-" else truth
            hints = AddressHints(city=city or None, phone=phone or None)
            rows.append(Labelled(address, hints, adcode, label == "ambiguous"))
    return rows


def load_public() -> list[Labelled]:
    """public.tsv: public places' real addresses, labelled with adcodes typed from public knowledge (never
    through the division table, so the parser's own lookup cannot produce its labels)."""
    rows: list[Labelled] = []
    for line in (FIXTURES / "public.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        address, city, phone, truth, label, kind, _place = line.split("\t")
        hints = AddressHints(city=city or None, phone=phone or None)
        rows.append(Labelled(address, hints, truth, label == "ambiguous", kind))
    return rows


@dataclass
class Score:
    total: int = 0
    resolved: int = 0  # the parser claimed one district
    correct: int = 0  # ... and it was the labelled one
    resolvable: int = 0  # labelled resolvable
    covered: int = 0  # labelled resolvable and resolved correctly
    ambiguous: int = 0  # labelled ambiguous
    flagged: int = 0  # labelled ambiguous and left ambiguous by the parser

    @property
    def precision(self) -> float:
        return self.correct / self.resolved if self.resolved else 1.0

    @property
    def resolved_share(self) -> float:
        """Of all the addresses, the share the parser fixed to one district."""
        return self.resolved / self.total if self.total else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.resolvable if self.resolvable else 1.0

    @property
    def ambiguity_recall(self) -> float:
        return self.flagged / self.ambiguous if self.ambiguous else 1.0


def score(rows: list[Labelled]) -> tuple[Score, list[str]]:
    result, misses = Score(), []
    for row in rows:
        parsed = parse_address(row.address, row.hints)
        result.total += 1
        result.resolvable += not row.ambiguous
        result.ambiguous += row.ambiguous
        if parsed.resolved:
            result.resolved += 1
            ok = parsed.adcode == row.truth
            result.correct += ok
            result.covered += ok and not row.ambiguous
            if not ok or row.ambiguous:
                misses.append(f"{row.address!r}: parsed {parsed.adcode}, truth {row.truth} ({parsed.reason})")
        else:
            result.flagged += row.ambiguous
            if not row.ambiguous:
                misses.append(f"{row.address!r}: left ambiguous ({parsed.reason}), truth {row.truth}")
    return result, misses
