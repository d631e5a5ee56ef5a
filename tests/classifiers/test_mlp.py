"""The embedding head: learns a non-linear label, round-trips through artefact arrays."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from classifiers.mlp import MlpHead, fit_mlp, oof_mlp_margins


def _xor_data(n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(n, 8))
    xor = ((z[:, 0] > 0) ^ (z[:, 1] > 0)).astype(np.int8)  # no linear head can learn this
    return z, np.column_stack([xor, (z[:, 2] > 0).astype(np.int8)])


def test_learns_a_label_a_linear_head_cannot() -> None:
    z, y = _xor_data()
    head = fit_mlp(z[:300], y[:300], np.ones(y[:300].shape, dtype=bool))
    margins = head.margin(z[300:])
    assert roc_auc_score(y[300:, 0], margins[:, 0]) > 0.9
    assert roc_auc_score(y[300:, 1], margins[:, 1]) > 0.9


def test_arrays_round_trip_as_float32() -> None:
    z, y = _xor_data(120)
    head = fit_mlp(z, y, np.ones(y.shape, dtype=bool))
    arrays = head.arrays()
    assert all(a.dtype == np.float32 for a in arrays.values())
    again = MlpHead.from_arrays(arrays)
    np.testing.assert_allclose(again.margin(z), head.margin(z), rtol=1e-4, atol=1e-4)


def test_rows_with_unknown_labels_are_left_out_and_folds_are_grouped() -> None:
    z, y = _xor_data(200)
    mask = np.ones(y.shape, dtype=bool)
    mask[:100, 1] = False  # third-party rows: one label unknown
    only_known = fit_mlp(z[100:], y[100:], mask[100:])
    with_partial = fit_mlp(z, y, mask)
    np.testing.assert_allclose(only_known.margin(z), with_partial.margin(z))
    groups = np.repeat(np.arange(40), 5)
    oof = oof_mlp_margins(z, y, np.ones(y.shape, dtype=bool), groups)
    assert oof.shape == y.shape and np.isfinite(oof).all()
