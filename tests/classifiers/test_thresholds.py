"""Per-label thresholds: the F-beta plateau point nearest 0.5, not a noisy maximum at its edge."""

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


def test_recall_weighted_beta_lowers_the_cut_when_positives_score_low() -> None:
    # a third of the positives score 0.35, as do 20 negatives: F1 keeps the
    # cut above them, F2 (recall counts double) takes them in
    y = np.array([1] * 30 + [0] * 70)
    p = np.concatenate([np.full(20, 0.8), np.full(10, 0.35), np.full(20, 0.35), np.full(50, 0.05)])
    assert best_threshold(y, p) > 0.35
    assert best_threshold(y, p, beta=2.0) <= 0.35
