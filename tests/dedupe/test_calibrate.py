"""Calibration (issue 21: thresholds from a target precision): the merge threshold is the lowest of
the grid whose clusters reach the target precision, with the margin for larger data, on the
calibration records."""

from __future__ import annotations

from dedupe.calibrate import _GRID, QUEUE_BAND, SCALE_MARGIN, TARGET_PRECISION, calibrate
from dedupe.generate import generate


def test_the_merge_threshold_is_the_lowest_reaching_the_target_precision() -> None:
    model, grid = calibrate(generate(3000, seed=5))
    assert set(grid) == set(_GRID)
    target = TARGET_PRECISION + SCALE_MARGIN
    reaching = [t for t in _GRID if grid[t]["precision"] >= target]
    assert reaching, grid
    assert model.merge == min(reaching) and model.review == model.merge - QUEUE_BAND
    below = [t for t in _GRID if t < model.merge]
    assert all(grid[t]["precision"] < target for t in below)
    assert model.matches > 0 and model.non_matches > 0
