"""Seeded generator of a Chinese B2B customer list with duplicate records and its ground truth.

    python -m evalsets.china_b2b.generate --records 63000 --seed 1 --out /tmp/china_b2b [--stats stats.json]

writes ``records.csv`` (id,company,contact,phone,email,address,uscc) and ``truth.csv`` (id,entity).
The same arguments give byte-identical files. See README.md for the kinds of variation and their rates.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import TypedDict

from evalsets.china_b2b import render
from evalsets.china_b2b.rates import CLUSTER_SIZES, Tally
from evalsets.china_b2b.world import World

RECORD_HEADER = "id,company,contact,phone,email,address,uscc"
TRUTH_HEADER = "id,entity"


class Stats(TypedDict):
    records: int
    entities: int
    seed: int
    cluster_sizes: dict[str, int]  # records per entity -> number of entities
    kinds: dict[str, dict[str, float]]  # kind -> count, of (denominator), rate, expected


@dataclass
class Dataset:
    lines: list[str]  # CSV rows without the id column, in output order
    entities: list[int]  # the entity of each row
    stats: Stats


def _csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def generate(records: int, seed: int) -> Dataset:
    rng = Random(seed)
    tally = Tally(rng)
    world = World(rng, tally)
    sizes, weights = tuple(CLUSTER_SIZES), tuple(CLUSTER_SIZES.values())
    lines: list[str] = []
    entities: list[int] = []
    histogram: dict[int, int] = {}
    while len(lines) < records:
        company = world.new_company()
        size = min(rng.choices(sizes, weights)[0], records - len(lines))
        histogram[size] = histogram.get(size, 0) + 1
        for record in render.records(tally, company, size):
            lines.append(",".join(map(_csv_field, record)))
            entities.append(company.idx)
    order = list(range(len(lines)))
    rng.shuffle(order)  # an export is not sorted by company
    stats: Stats = {
        "records": len(lines),
        "entities": len(world.companies),
        "seed": seed,
        "cluster_sizes": {str(k): histogram[k] for k in sorted(histogram)},
        "kinds": tally.report(),
    }
    return Dataset([lines[i] for i in order], [entities[i] for i in order], stats)


def write(data: Dataset, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    width = max(7, len(str(len(data.lines))))
    ids = [f"R{i:0{width}d}" for i in range(1, len(data.lines) + 1)]
    with (out / "records.csv").open("w", encoding="utf-8", newline="") as f:
        f.write(RECORD_HEADER + "\n")
        f.writelines(f"{rid},{line}\n" for rid, line in zip(ids, data.lines, strict=True))
    with (out / "truth.csv").open("w", encoding="utf-8", newline="") as f:
        f.write(TRUTH_HEADER + "\n")
        f.writelines(f"{rid},E{e + 1:0{width}d}\n" for rid, e in zip(ids, data.entities, strict=True))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=63000, help="number of records (default 63000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="directory for records.csv and truth.csv")
    parser.add_argument("--stats", type=Path, help="also write the variation counts as JSON here")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error("--records must be at least 1")
    data = generate(args.records, args.seed)
    write(data, args.out)
    if args.stats is not None:
        args.stats.parent.mkdir(parents=True, exist_ok=True)
        args.stats.write_text(json.dumps(data.stats, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{data.stats['records']} records of {data.stats['entities']} companies -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
