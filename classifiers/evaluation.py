"""Evaluation (``kalkan eval``): dev-split metrics and HateCheck / Multilingual HateCheck.

Dev split: per language and label, ROC-AUC and F1 at the shipped thresholds, plus the
false-flag rate per hard-negative type. HateCheck (en) and MHC (10 languages) are
functional test suites used for evaluation only, never training. Their gold label is
hateful / non-hateful; a post counts as predicted hateful when ``identity_attack``,
``threat`` or ``incitement`` is flagged (``insult`` alone is not hate in HateCheck's
sense: its ``target_*_nh`` cases are abuse of non-protected targets). Threat recall is
the share of ``threat_*_h`` cases with ``threat`` flagged.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from classifiers.base import LABELS
from classifiers.corpus.expand import FOLDS, TEMPLATES_DIR, Example, load_corpus
from classifiers.ensemble import Artefact, EnsembleClassifier
from classifiers.text import sanitize
from classifiers.training import ARTEFACT_DIR, DEFAULT_CACHE, SEED, train

HATE_LABELS = ("identity_attack", "threat", "incitement")
COUNTER = ("counter_quote_nh", "counter_ref_nh")
RECLAIMED = ("slur_reclaimed_nh",)
THREAT_FUNCS = ("threat_dir_h", "threat_norm_h")


@dataclass
class EvalReport:
    """All figures of one evaluation run (rows ready to print)."""

    dev: list[dict[str, Any]] = field(default_factory=list)
    negatives: list[dict[str, Any]] = field(default_factory=list)
    suites: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summary: dict[str, float] = field(default_factory=dict)


def _dev_rows(model: EnsembleClassifier, dev: list[Example]) -> list[dict[str, Any]]:
    """ROC-AUC and F1 per language and label on the dev split."""
    scores = model.score_matrix([sanitize(e.text) for e in dev])
    rows = []
    for lang in [*sorted({e.lang for e in dev}), "all"]:
        idx = [i for i, e in enumerate(dev) if lang in ("all", e.lang)]
        for j, lab in enumerate(LABELS):
            y = np.array([int(lab in dev[i].labels) for i in idx])
            p = scores[idx, j]
            auc = roc_auc_score(y, p) if 0 < y.sum() < len(y) else float("nan")
            f1 = f1_score(y, p >= model.thresholds[lab], zero_division=0.0)
            rows.append(
                {
                    "lang": lang,
                    "label": lab,
                    "n_pos": int(y.sum()),
                    "n": len(y),
                    "roc_auc": round(float(auc), 3),
                    "f1": round(float(f1), 3),
                }
            )
    return rows


def _negative_rows(model: EnsembleClassifier, dev: list[Example]) -> list[dict[str, Any]]:
    """Share of dev hard negatives (by type) that get any label flagged."""
    groups: dict[str, list[str]] = defaultdict(list)
    for e in dev:
        if e.kind != "positive":
            groups[e.negative_type or e.kind].append(sanitize(e.text))
    rows = []
    for kind, texts in sorted(groups.items()):
        scores = model.score_matrix(texts)
        thr = np.array([model.thresholds[lab] for lab in LABELS])
        flagged = (scores >= thr).any(axis=1)
        rows.append(
            {
                "negative_type": kind,
                "n": len(texts),
                "false_flag_rate": round(float(flagged.mean()), 3),
            }
        )
    return rows


def _sample(rows: list[dict[str, str]], cap: int | None) -> list[dict[str, str]]:
    """At most ``cap`` cases per functionality, chosen by a stable hash of the case text."""
    if cap is None:
        return rows
    by_func: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_func[row["functionality"]].append(row)
    keep = []
    for func in sorted(by_func):
        ranked = sorted(
            by_func[func], key=lambda r: hashlib.sha256(r["test_case"].encode()).hexdigest()
        )
        keep.extend(ranked[:cap])
    return keep


def suite_files(datasets_dir: Path) -> dict[str, Path]:
    """HateCheck and every MHC language file under a datasets directory."""
    files = {"hatecheck-en": datasets_dir / "hatecheck" / "test_suite_cases.csv"}
    for path in sorted((datasets_dir / "mhc").glob("hatecheck_cases_final_*.csv")):
        files["mhc-" + path.stem.rsplit("_", 1)[-1]] = path
    return {name: p for name, p in files.items() if p.exists()}


def _suite_rows(model: EnsembleClassifier, path: Path, cap: int | None) -> list[dict[str, Any]]:
    """Functional accuracy (and threat recall) per functionality of one suite file."""
    with path.open(encoding="utf-8", newline="") as fh:
        cases = _sample([r for r in csv.DictReader(fh) if r.get("test_case")], cap)
    scores = model.score_matrix([sanitize(c["test_case"]) for c in cases])
    thr = np.array([model.thresholds[lab] for lab in LABELS])
    flags: np.ndarray = np.asarray(scores >= thr)
    hate_cols = [LABELS.index(lab) for lab in HATE_LABELS]
    hateful = [bool(row[hate_cols].any()) for row in flags]
    threat = [bool(row[LABELS.index("threat")]) for row in flags]
    out: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    for case, pred, thr_flag in zip(cases, hateful, threat, strict=True):
        out[case["functionality"]].append((case["label_gold"] == "hateful", pred, thr_flag))
    return [
        {
            "functionality": f,
            "n": len(v),
            "gold": "hateful" if v[0][0] else "non-hateful",
            "accuracy": round(float(np.mean([g == p for g, p, _ in v])), 3),
            "threat_recall": round(float(np.mean([t for *_, t in v])), 3)
            if f in THREAT_FUNCS
            else None,
        }
        for f, v in sorted(out.items())
    ]


def _weighted(rows: list[dict[str, Any]], funcs: tuple[str, ...] | None, key: str) -> float:
    """Case-weighted mean of ``key`` over the rows of the given functionalities (all if None)."""
    picked = [
        r for r in rows if (funcs is None or r["functionality"] in funcs) and r.get(key) is not None
    ]
    total = sum(int(r["n"]) for r in picked)
    if not total:
        return float("nan")
    return round(sum(float(r[key]) * int(r["n"]) for r in picked) / total, 3)


def _summarise(report: EvalReport) -> None:
    """Headline figures: dev AUC for threat/incitement in ru/kk/en, suite accuracies."""
    for row in report.dev:
        if row["lang"] in ("ru", "kk", "en", "all") and row["label"] in ("threat", "incitement"):
            report.summary[f"dev_auc_{row['lang']}_{row['label']}"] = float(row["roc_auc"])
    everything = [r for rows in report.suites.values() for r in rows]
    if everything:
        report.summary["suites_accuracy"] = _weighted(everything, None, "accuracy")
        report.summary["suites_counter_speech_acc"] = _weighted(everything, COUNTER, "accuracy")
        report.summary["suites_reclaimed_acc"] = _weighted(everything, RECLAIMED, "accuracy")
        report.summary["suites_threat_recall"] = _weighted(
            everything, THREAT_FUNCS, "threat_recall"
        )
    for name, rows in report.suites.items():
        report.summary[f"{name}_accuracy"] = _weighted(rows, None, "accuracy")


def evaluate(
    *,
    corpus_dir: Path = TEMPLATES_DIR,
    artefact_dir: Path = ARTEFACT_DIR,
    datasets_dir: Path | None = None,
    max_per_functionality: int | None = 20,
    progress: bool = True,
    cache_dir: Path | None = DEFAULT_CACHE,
) -> EvalReport:
    """Evaluate the artefact on the dev split and, if ``datasets_dir`` is given, on the suites."""
    artefact = Artefact.load(Path(artefact_dir))
    embedder = artefact.embedder(cache_dir=cache_dir, remember=cache_dir is not None)
    model = EnsembleClassifier(artefact, embedder=embedder)
    dev = [e for e in load_corpus(Path(corpus_dir), seed=SEED) if e.split == "dev"]
    report = EvalReport()
    if dev:
        report.dev = _dev_rows(model, dev)
        report.negatives = _negative_rows(model, dev)
    files = suite_files(Path(datasets_dir)) if datasets_dir else {}
    items = files.items()
    if progress:
        from tqdm import tqdm

        items = tqdm(items, desc="test suites", unit="suite")
    for name, path in items:
        report.suites[name] = _suite_rows(model, path, max_per_functionality)
        embedder.save_cache()
    _summarise(report)
    return report


def cross_validate(
    *,
    corpus_dir: Path = TEMPLATES_DIR,
    cache_dir: Path | None = DEFAULT_CACHE,
    progress: bool = True,
) -> list[dict[str, Any]]:
    """Dev ROC-AUC per language and label over the five template folds (each fold once dev,
    the model retrained on the other four): mean, min and max.

    One dev split of ~1,500 posts moves single cells by up to 0.05 with which templates land in
    it; the mean over five disjoint dev folds is the steadier figure.
    """
    per_fold: list[dict[tuple[str, str], float]] = []
    folds = range(FOLDS)
    if progress:
        from tqdm import tqdm

        folds = tqdm(folds, desc="cross-validation", unit="fold")
    for fold in folds:
        with tempfile.TemporaryDirectory() as tmp:
            train(
                corpus_dir=corpus_dir,
                out_dir=Path(tmp),
                progress=False,
                cache_dir=cache_dir,
                dev_fold=fold,
            )
            artefact = Artefact.load(Path(tmp))
            embedder = artefact.embedder(cache_dir=cache_dir, remember=True)
            model = EnsembleClassifier(artefact, embedder=embedder)
        dev = [
            e for e in load_corpus(Path(corpus_dir), seed=SEED, dev_fold=fold) if e.split == "dev"
        ]
        per_fold.append({(r["lang"], r["label"]): r["roc_auc"] for r in _dev_rows(model, dev)})
    rows = []
    for key in per_fold[0]:
        values = [f[key] for f in per_fold if key in f and not np.isnan(f[key])]
        if not values:
            continue
        rows.append(
            {
                "lang": key[0],
                "label": key[1],
                "mean_roc_auc": round(float(np.mean(values)), 3),
                "min": min(values),
                "max": max(values),
                "folds": len(values),
            }
        )
    return rows


def _table(rows: list[dict[str, Any]], title: str) -> str:
    """Fixed-width text table."""
    if not rows:
        return f"{title}: (no data)\n"
    cols = list(rows[0])
    cells = [[("-" if r[c] is None else str(r[c])) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = [title, "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines) + "\n"


def format_report(report: EvalReport) -> str:
    """Readable tables for the terminal and the model card."""
    parts = [
        _table(report.dev, "Dev split (by template): ROC-AUC and F1 at shipped thresholds"),
        _table(report.negatives, "Dev hard negatives and benign posts: share flagged"),
    ]
    for name, rows in report.suites.items():
        parts.append(
            _table(
                rows,
                f"{name}: functional accuracy (hateful = identity_attack, "
                "threat or incitement flagged)",
            )
        )
    parts.append(_table([{"figure": k, "value": v} for k, v in report.summary.items()], "Summary"))
    return "\n".join(parts)


def format_cross_validation(rows: list[dict[str, Any]]) -> str:
    """The `kalkan eval --cv` table."""
    return _table(rows, f"Dev ROC-AUC over {FOLDS} template folds (retrained per fold)")


if __name__ == "__main__":  # pragma: no cover
    import sys

    data = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    print(format_report(evaluate(datasets_dir=data)))
