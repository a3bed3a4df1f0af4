"""Regenerate ``divisions.tsv`` and ``area_codes.tsv`` from a jionlp wheel (see README.md here).

    pip download --no-deps -d /tmp/jio jionlp==1.5.31
    python mapping/address/data/extract_jionlp.py /tmp/jio/jionlp-1.5.31-py2.py3-none-any.whl

Only the province, prefecture and county levels (with their adcodes) and the landline area codes are
kept; towns and villages (no adcodes in the source) are left out.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PSEUDO = ("省直辖行政区划", "市直辖行政区划")


def _read(wheel: zipfile.ZipFile, name: str) -> str:
    return wheel.read(name).decode("utf-8")


def extract(wheel_path: Path) -> None:
    with zipfile.ZipFile(wheel_path) as wheel:
        inner = zipfile.ZipFile(io.BytesIO(wheel.read("jionlp/dictionary/china_location.zip")))
        locations = inner.read("china_location.txt").decode("utf-8")
        area_codes = _read(wheel, "jionlp/dictionary/landline_phone_area_code.txt")
    rows: list[tuple[str, str, str, str]] = []
    province = city = ""
    for line in locations.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth > 2 or len(parts) != 3:
            continue
        name, code, short = parts
        if depth == 0:
            province = city = code
            rows.append((code, name, short, ""))
        elif depth == 1:
            city = code
            if name not in PSEUDO and code != province:  # municipalities repeat themselves
                rows.append((code, name, short, province))
        elif name not in PSEUDO:
            parent = province if code[:4] + "00" != city or city.endswith("9000") else city
            if code != parent:  # Hong Kong and Macao districts carry the region's own code
                rows.append((code, name, short, parent))
    rows.sort()
    with (HERE / "divisions.tsv").open("w", encoding="utf-8") as out:
        out.write("# adcode\tname\tshort\tparent (source: jionlp 1.5.31 china_location.txt, Apache-2.0)\n")
        out.writelines("\t".join(row) + "\n" for row in rows)
    by_name = {(r[3], r[2]): r[0] for r in rows}
    provinces = {r[2]: r[0] for r in rows if not r[3]}
    lines = []
    for entry in area_codes.splitlines():
        code, _, place = entry.strip().partition(" ")
        prov_short, _, city_short = place.partition("/")
        prov = provinces.get(prov_short)
        adcode = by_name.get((prov or "", city_short)) or (prov if prov_short == city_short else None)
        if adcode:
            lines.append(f"{code}\t{adcode}\n")
    with (HERE / "area_codes.tsv").open("w", encoding="utf-8") as out:
        out.write("# landline area code\tadcode of its city (source: jionlp 1.5.31, Apache-2.0)\n")
        out.writelines(sorted(set(lines)))


if __name__ == "__main__":
    extract(Path(sys.argv[1]))
