"""Per-label thresholds: the F1 plateau point nearest 0.5, not a noisy maximum at its edge."""

from __future__ import annotations

import numpy as np

from classifiers.features import best_threshold


def test_a_clear_peak_is_taken() -> None:
    y = np.array([1] * 10 + [0] * 90)
    p = np.concatenate([np.full(10, 0.82), np.linspace(0.0, 0.78, 90)])
    assert 0.78 < best_threshold(y, p) <= 0.82


def test_on_a_flat_plateau_the_calibrated_cut_wins() -> None:
    # positives score 0.9, negatives 0.1: every threshold in (0.1, 0.9] gives F1 = 1
    y = np.array([1] * 20 + [0] * 80)
    p = np.where(y == 1, 0.9, 0.1)
    assert best_threshold(y, p) == 0.5


def test_no_positives_keeps_the_default() -> None:
    assert best_threshold(np.zeros(5, dtype=int), np.linspace(0, 1, 5)) == 0.5
