"""Training-time fitting helpers: per-label logistic heads with label masks and OOF margins."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from classifiers.ensemble import sigmoid

NGRAM_C = 8.0
META_C = 1.0


@dataclass
class LinearHeads:
    """One logistic regression per label, kept as (labels, features) arrays."""

    coef: np.ndarray
    intercept: np.ndarray

    def margin(self, x: np.ndarray | sparse.spmatrix) -> np.ndarray:
        """Decision values (n, labels)."""
        return np.asarray(x @ self.coef.T) + self.intercept


def _fit_one(
    x: np.ndarray | sparse.spmatrix,
    y: np.ndarray,
    c: float,
    dense: bool,
    weight: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Fit a balanced logistic regression; a label with one class gets a constant model."""
    if y.min() == y.max():
        return np.zeros(x.shape[1]), (8.0 if y[0] else -8.0)
    solver = "lbfgs" if dense else "liblinear"
    model = LogisticRegression(
        C=c, class_weight="balanced", solver=solver, max_iter=2000, random_state=0
    )
    model.fit(x, y, sample_weight=weight)
    return model.coef_[0], float(model.intercept_[0])


def fit_heads(
    x: np.ndarray | sparse.spmatrix,
    y: np.ndarray,
    mask: np.ndarray,
    c: float,
    *,
    dense: bool,
    weight: np.ndarray | None = None,
) -> LinearHeads:
    """Fit one head per label on the rows where that label is known (mask).

    ``weight`` (per row) lets the project's own corpus count for more than the larger,
    differently-labelled third-party sets.
    """
    coefs, intercepts = [], []
    for j in range(y.shape[1]):
        rows = np.flatnonzero(mask[:, j])
        w = None if weight is None else weight[rows]
        coef, icpt = _fit_one(x[rows], y[rows, j], c, dense, w)
        coefs.append(coef)
        intercepts.append(icpt)
    return LinearHeads(np.array(coefs, dtype=np.float32), np.array(intercepts, dtype=np.float32))


def oof_margins(
    x: np.ndarray | sparse.spmatrix,
    y: np.ndarray,
    mask: np.ndarray,
    groups: np.ndarray,
    c: float,
    *,
    dense: bool,
    folds: int = 5,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """Out-of-fold margins with folds grouped by template, so stacking sees honest inputs."""
    out = np.zeros(y.shape, dtype=np.float64)
    for fit_rows, held in GroupKFold(n_splits=folds).split(x, groups=groups):
        w = None if weight is None else weight[fit_rows]
        heads = fit_heads(x[fit_rows], y[fit_rows], mask[fit_rows], c, dense=dense, weight=w)
        out[held] = heads.margin(x[held])
    return out


def fit_meta(
    feats: list[np.ndarray], y: np.ndarray, mask: np.ndarray, weight: np.ndarray | None = None
) -> LinearHeads:
    """Stacking/calibration layer: one logistic regression per label (no class balancing)."""
    coefs, intercepts = [], []
    for j, f in enumerate(feats):
        rows = np.flatnonzero(mask[:, j])
        model = LogisticRegression(C=META_C, max_iter=2000, random_state=0)
        model.fit(f[rows], y[rows, j], sample_weight=None if weight is None else weight[rows])
        coefs.append(model.coef_[0])
        intercepts.append(float(model.intercept_[0]))
    return LinearHeads(np.array(coefs, dtype=np.float32), np.array(intercepts, dtype=np.float32))


def oof_meta_probabilities(
    feats: list[np.ndarray],
    y: np.ndarray,
    mask: np.ndarray,
    groups: np.ndarray,
    *,
    folds: int = 5,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """Out-of-fold probabilities of the stacking layer on the training rows (folds grouped
    by template), so thresholds can be chosen without looking at the dev split. Rows
    whose label is unknown (mask) are NaN."""
    out = np.full(y.shape, np.nan)
    for fit_rows, held in GroupKFold(n_splits=folds).split(feats[0], groups=groups):
        w = None if weight is None else weight[fit_rows]
        heads = fit_meta([f[fit_rows] for f in feats], y[fit_rows], mask[fit_rows], weight=w)
        for j, f in enumerate(feats):
            out[held, j] = sigmoid(f[held] @ heads.coef[j] + heads.intercept[j])
    out[~mask] = np.nan
    return out


#: Thresholds whose F-score is within this of the best count as equally good.
F1_TOLERANCE = 0.01
#: F-beta per label for threshold choice: a missed threat costs more than a false alarm an
#: officer dismisses, so threat weighs recall double. Incitement stays at F1: its F2 cut
#: (0.175) flagged 18 % of benign calls to gather on the dev split.
THRESHOLD_BETA = {"threat": 2.0}


def best_threshold(y: np.ndarray, p: np.ndarray, beta: float = 1.0) -> float:
    """Threshold on the F-beta plateau of held-out scores, nearest 0.5 (0.5 with no positives).

    The scores are out-of-fold stacking probabilities on the training rows, so the dev
    split stays untouched for evaluation. The stacking layer is a calibrated logistic
    regression, so 0.5 is its natural cut. F1 is often flat over a wide range (0.25-0.55
    for incitement) and its noisy maximum can sit at the plateau's edge, where a support
    message already crosses it; among thresholds within F1_TOLERANCE of the best score,
    the one nearest 0.5 is taken.
    """
    if y.sum() == 0:
        return 0.5
    grid = np.round(np.arange(0.1, 0.91, 0.025), 3)
    b2 = beta * beta
    scores = []
    for t in grid:
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        scores.append((1 + b2) * tp / max(pred.sum() + b2 * y.sum(), 1))
    best = max(scores)
    good = [float(t) for t, f in zip(grid, scores, strict=True) if f >= best - F1_TOLERANCE]
    return min(good, key=lambda t: (abs(t - 0.5), t))
