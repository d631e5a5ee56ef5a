"""KALKAN_CLASSIFIER_THRESHOLDS: an organisation's own classifier operating point."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from monitor.config import Settings
from monitor.scheduler import shipped_classifier


def test_thresholds_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KALKAN_CLASSIFIER_THRESHOLDS", '{"threat": 0.6, "incitement": 0.55}')
    settings = Settings(env="test", data_dir=tmp_path)
    assert settings.classifier_thresholds == {"threat": 0.6, "incitement": 0.55}
    classifier = shipped_classifier(settings)()
    assert classifier.thresholds["threat"] == 0.6
    assert classifier.thresholds["incitement"] == 0.55


def test_by_default_the_shipped_thresholds_apply(tmp_path: Path) -> None:
    assert Settings(env="test", data_dir=tmp_path).classifier_thresholds == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{"thread": 0.5}', "unknown classifier label"),
        ('{"threat": 2}', "between 0 and 1"),
        ("threat=0.5", "classifier_thresholds"),  # not JSON: the field is named
    ],
)
def test_a_wrong_value_stops_start_up_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, message: str
) -> None:
    monkeypatch.setenv("KALKAN_CLASSIFIER_THRESHOLDS", value)
    with pytest.raises((ValidationError, ValueError), match=message):
        Settings(env="test", data_dir=tmp_path)
