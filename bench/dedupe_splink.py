"""Splink (DuckDB) as bench/dedupe.py's peer on the Chinese sets, and the runner every Splink setup
shares (training and prediction timed apart, blocking recall, scores by threshold).

Chinese sets: Splink gets SyncHub's normalised columns (on raw Chinese names it has nothing to
compare). Its blocking rules are written to reach at least the pairs SyncHub's blocking reaches (the
recall of both is printed side by side): phone, USCC, e-mail, the company's own mail domain, core,
pinyin, city + trade name, city + contact, city + address, city + road and number, and region + any
two-character piece of the trade name (an array exploded in blocking, as Splink's docs show with
``block_on(..., arrays_to_explode=[...])``: the counterpart of SyncHub's name bigrams). The road and
the name pieces are SyncHub's own (``dedupe.blocking``), computed with the rest of the normalising.
Splink applies no block-size cap, so its candidate pairs are a superset of what such rules give
SyncHub.
Comparisons in levels (core: exact / pinyin / Jaro-Winkler 0.92, 0.8; city, phone, USCC, contact: exact;
e-mail: exact / domain; address: Jaro-Winkler 0.9, 0.7); training as Splink's examples do it:
probability_two_random_records_match from deterministic rules (phone, USCC, core + address; recall
0.7), u by random sampling (1e6 pairs), m by EM blocked on core and on phone. A term-frequency
adjustment on the exact core, as Splink's docs do for names, was tried and left off: it cost Splink
0.009 of F1 on china_b2b 63k (0.8439 against 0.8532), and the peer gets the better of the two.
Trade name and industry are not compared separately: both are inside the core, and counting them
again (correlated evidence) let the name outweigh another city. Febrl: bench/dedupe_splink_febrl.py.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.evaluate import pairwise_scores, peak_rss_mb, read_records, read_truth

__all__ = ["THRESHOLDS", "Training", "blocking_recall", "link", "run_splink", "splink_settings"]

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)


@dataclass(frozen=True)
class Training:
    """How Splink's model is estimated, as its examples do it."""

    deterministic_rules: Sequence[Any]
    recall: float
    em_rules: Sequence[Any]
    em_without_term_frequencies: bool = False


def _prepared_frame(records: list[Any]) -> Any:
    """SyncHub's normalising, exactly as SyncHub's own run does it (``prepare_many``: two processes
    from 50k records when a core is idle), as Splink's input columns."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    from dedupe.blocking import _grams, _street
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
                "street": _street(p.address) if p.address else None,
                "region": (p.city or p.province or "") if p.core else None,
                "grams": _grams(p.trade or p.core) if p.core else None,
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
            block_on("domain"),
            block_on("core"),
            block_on("pinyin"),
            block_on("city", "trade"),
            block_on("city", "person"),
            block_on("city", "address"),
            block_on("city", "street"),
            block_on("region", "grams", arrays_to_explode=["grams"]),
        ],
        retain_matching_columns=False,
    )


def chinese_training(has_phone: bool) -> Training:
    from splink import block_on

    return Training(
        deterministic_rules=[
            "l.phone = r.phone",
            "l.uscc = r.uscc",
            "l.core = r.core and l.address = r.address",
        ],
        recall=0.7,
        em_rules=[block_on("core"), block_on("phone" if has_phone else "address")],
    )


def blocking_recall(linker: Any, truth: dict[str, str]) -> dict[str, Any]:
    """Share of true pairs that Splink's prediction blocking rules reach (their union), untimed."""
    pairs = linker.inference.deterministic_link().as_pandas_dataframe()
    same = pairs["unique_id_l"].astype(str).map(truth) == pairs["unique_id_r"].astype(str).map(truth)
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    return {
        "any_rule": round(int(same.sum()) / max(true_pairs, 1), 4),
        "candidate_pairs": len(pairs),
        "true_pairs": true_pairs,
    }


def link(frame: Any, settings: Any, training: Training, truth: dict[str, str]) -> dict[str, Any]:
    """Train (timed), predict and cluster at 0.9 (timed apart), then score and measure blocking."""
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    linker = Linker(DuckDBAPI().register(frame), settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        list(training.deterministic_rules), recall=training.recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in training.em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=training.em_without_term_frequencies
        )
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters_at_09 = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    clusters_at_09.as_pandas_dataframe()  # type: ignore[no-untyped-call,unused-ignore]
    predicted = time.perf_counter()
    peak = peak_rss_mb()
    best: dict[str, Any] = {}
    by_threshold: dict[str, float] = {}
    for threshold in THRESHOLDS:
        frame_c = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold
        ).as_pandas_dataframe()  # type: ignore[no-untyped-call,unused-ignore]
        clusters = frame_c.groupby("cluster_id")["unique_id"].apply(list).tolist()
        scores = pairwise_scores([[str(m) for m in c] for c in clusters], truth)
        by_threshold[str(threshold)] = float(scores["f1"])
        if not best or scores["f1"] > best["f1"]:
            best = {**scores, "threshold": threshold}
    return {
        **best,
        "f1_by_threshold": by_threshold,
        "seconds": round(predicted - started, 3),
        "seconds_training": round(trained - started, 3),
        "seconds_predicting": round(predicted - trained, 3),
        "pairs_scored_above_0.5": len(predictions.as_pandas_dataframe()),  # type: ignore[no-untyped-call,unused-ignore]
        "peak_rss_mb": peak,
        "blocking_recall": blocking_recall(linker, truth),
    }


def run_splink(records_path: Path, truth_path: Path) -> dict[str, Any]:
    """The Chinese sets: SyncHub's normalising (timed) feeds Splink's columns."""
    records = read_records(records_path)  # not timed, as SyncHub's ``seconds`` leaves reading out
    truth = read_truth(truth_path)
    started = time.perf_counter()
    frame = _prepared_frame(records)
    normalising = time.perf_counter() - started
    result = link(frame, splink_settings(), chinese_training(bool(frame["phone"].notna().any())), truth)
    return {
        **result,
        "seconds_normalising": round(normalising, 3),
        "seconds_with_normalising": round(result["seconds"] + normalising, 3),
        "seconds_predicting_with_normalising": round(result["seconds_predicting"] + normalising, 3),
    }
