"""`kalkan train` without torch: a clear error that says what to install, not a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from monitor.cli import model
from monitor.errors import KalkanError

MINI = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "templates"


def test_training_without_torch_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch -> ImportError
    with pytest.raises(KalkanError, match=r"\[transformers\].*--no-tune"):
        model.train(corpus=MINI, out=tmp_path / "out", datasets=None, tune=True)
    assert not (tmp_path / "out").exists()  # nothing half-written
