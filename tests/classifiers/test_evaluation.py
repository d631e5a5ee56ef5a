"""Evaluation: dev metrics per language/label and functional accuracy on suite files."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from classifiers.evaluation import (
    cross_validate,
    evaluate,
    format_cross_validation,
    format_report,
)
from classifiers.training import train

#: the encoder is fine-tuned where torch is installed (the transformers extra)
TUNE = importlib.util.find_spec("torch") is not None
MINI = Path(__file__).parent / "data" / "templates"


def _suite(path: Path, rows: list[tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["functionality", "test_case", "label_gold"])
        writer.writeheader()
        for func, text, gold in rows:
            writer.writerow({"functionality": func, "test_case": text, "label_gold": gold})


def test_evaluate_reports_dev_and_suites(tmp_path: Path) -> None:
    art = tmp_path / "art"
    train(corpus_dir=MINI, out_dir=art, progress=False, tune=TUNE, cache_dir=tmp_path / "cache")
    data = tmp_path / "datasets"
    _suite(
        data / "hatecheck" / "test_suite_cases.csv",
        [
            ("threat_dir_h", "I will kill all feminists like you", "hateful"),
            ("threat_dir_h", "We are going to hurt every gay person here", "hateful"),
            ("ident_pos_nh", "I love my lesbian friends", "non-hateful"),
        ],
    )
    _suite(
        data / "mhc" / "hatecheck_cases_final_spanish.csv",
        [
            ("counter_quote_nh", "Decir 'odio a las mujeres' está mal", "non-hateful"),
        ],
    )
    report = evaluate(
        corpus_dir=MINI,
        artefact_dir=art,
        datasets_dir=data,
        progress=False,
        cache_dir=tmp_path / "cache",
    )
    langs = {row["lang"] for row in report.dev}
    assert {"ru", "kk", "en", "all"} <= langs
    assert all(0.0 <= float(r["f1"]) <= 1.0 for r in report.dev)
    assert set(report.suites) == {"hatecheck-en", "mhc-spanish"}
    threat_row = next(
        r for r in report.suites["hatecheck-en"] if r["functionality"] == "threat_dir_h"
    )
    assert threat_row["n"] == 2 and threat_row["threat_recall"] is not None
    assert "suites_accuracy" in report.summary and "dev_auc_ru_threat" in report.summary
    text = format_report(report)
    assert "hatecheck-en" in text and "ROC-AUC" in text


def test_cross_validation_retrains_on_every_fold(tmp_path: Path) -> None:
    rows = cross_validate(corpus_dir=MINI, cache_dir=tmp_path / "cache", progress=False)
    by_key = {(r["lang"], r["label"]): r for r in rows}
    overall = by_key[("all", "threat")]
    assert overall["folds"] == 5
    assert 0.0 <= overall["min"] <= overall["mean_roc_auc"] <= overall["max"] <= 1.0
    assert "template folds" in format_cross_validation(rows)
