"""Input hygiene for attacker-controlled text."""

from __future__ import annotations

import pytest

from classifiers.text import ANALYSIS_CHARS, normalize_for_ngrams, sanitize


def test_sanitize_removes_controls_surrogates_and_truncates() -> None:
    assert sanitize("a\x00b\u200bc\ud800d") == "a b c?d"
    assert len(sanitize("ы" * 1_000_000)) == ANALYSIS_CHARS
    assert sanitize(b"\xff ok") == "\ufffd ok"


def test_sanitize_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        sanitize(None)


def test_normalize_folds_case_yo_and_stretching() -> None:
    assert normalize_for_ngrams("ЁЛКААААА") == "елкаа"
