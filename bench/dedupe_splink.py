"""Splink (DuckDB) as bench/dedupe.py's peer: the same normalised columns, its documented setup
(blocking rules, comparisons in levels, trained on the data), timed for the same work as SyncHub.
See bench/dedupe.py's docstring for the setup in words."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from dedupe.evaluate import pairwise_scores, peak_rss_mb, read_records, read_truth

__all__ = ["THRESHOLDS", "run_splink", "splink_settings"]

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)


def _prepared_frame(records: list[Any]) -> Any:
    """SyncHub's normalising, exactly as SyncHub's own run does it (``prepare_many``: two processes
    from 50k records when a core is idle), as Splink's input columns."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    from dedupe.records import prepare_many

    rows = []
    for p in prepare_many(records):
        rows.append(
            {
                "unique_id": p.id,
                "core": p.core,
                "trade": p.trade,
                "pinyin": p.pinyin,
                "city": p.city,
                "industry": p.industry,
                "phone": p.phone,
                "email": p.email,
                "domain": p.domain,
                "person": p.person,
                "address": p.address,
                "uscc": p.uscc,
            }
        )
    return pd.DataFrame(rows)


def splink_settings() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def exact(column: str) -> Any:
        return cl.ExactMatch(column)

    core = cl.CustomComparison(
        [
            cll.NullLevel("core"),
            cll.ExactMatchLevel("core"),
            cll.ExactMatchLevel("pinyin"),
            cll.JaroWinklerLevel("core", 0.92),
            cll.JaroWinklerLevel("core", 0.8),
            cll.ElseLevel(),
        ],
        output_column_name="core",
    )
    email = cl.CustomComparison(
        [
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email"),
            cll.ExactMatchLevel("domain"),
            cll.ElseLevel(),
        ],
        output_column_name="email",
    )
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            core,
            exact("city"),
            exact("phone"),
            email,
            exact("uscc"),
            exact("person"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("uscc"),
            block_on("email"),
            block_on("core"),
            block_on("pinyin"),
            block_on("city", "trade"),
            block_on("city", "person"),
        ],
        retain_matching_columns=False,
    )


def run_splink(records_path: Path, truth_path: Path) -> dict[str, Any]:
    from splink import DuckDBAPI, Linker, block_on

    records = read_records(records_path)  # not timed, as SyncHub's ``seconds`` leaves reading out
    started = time.perf_counter()
    frame = _prepared_frame(records)
    normalised = time.perf_counter()
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), splink_settings(), log_level=40)
    # Febrl has no phone or USCC: the name and address rule gives the prior there
    deterministic: list[Any] = [
        "l.phone = r.phone",
        "l.uscc = r.uscc",
        "l.core = r.core and l.address = r.address",
    ]
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("core"))
    second = "phone" if frame["phone"].notna().any() else "address"
    linker.training.estimate_parameters_using_expectation_maximisation(block_on(second))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters_at_09 = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    clusters_at_09.as_pandas_dataframe()  # type: ignore[no-untyped-call,unused-ignore]
    linked = time.perf_counter()
    truth = read_truth(truth_path)
    best: dict[str, Any] = {}
    by_threshold: dict[str, float] = {}
    for threshold in THRESHOLDS:
        frame_c = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold
        ).as_pandas_dataframe()  # type: ignore[no-untyped-call,unused-ignore]
        clusters = frame_c.groupby("cluster_id")["unique_id"].apply(list).tolist()
        scores = pairwise_scores(clusters, truth)
        by_threshold[str(threshold)] = float(scores["f1"])
        if not best or scores["f1"] > best["f1"]:
            best = {**scores, "threshold": threshold}
    return {
        **best,
        "f1_by_threshold": by_threshold,
        "seconds": round(linked - normalised, 3),
        "seconds_with_normalising": round(linked - started, 3),
        "pairs_scored_above_0.5": len(predictions.as_pandas_dataframe()),  # type: ignore[no-untyped-call,unused-ignore]
        "peak_rss_mb": peak_rss_mb(),
    }
