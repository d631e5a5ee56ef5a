"""Commands for the classifier: train and evaluate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from classifiers.evaluation import (
    cross_validate,
    evaluate,
    format_cross_validation,
    format_report,
)
from classifiers.training import TorchMissing
from classifiers.training import train as train_model
from monitor.errors import KalkanError

#: Third-party evaluation data beside a checkout (never needed at run time).
SHARED_DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"

DatasetsOpt = Annotated[
    Path | None, typer.Option(help="Third-party datasets dir (default: ../shared/datasets)")
]


def _datasets(given: Path | None) -> Path | None:
    if given is not None:
        return given
    return SHARED_DATASETS if SHARED_DATASETS.exists() else None


def train(
    corpus: Annotated[Path | None, typer.Option(help="Template corpus directory")] = None,
    out: Annotated[Path | None, typer.Option(help="Where the artefact is written")] = None,
    datasets: Annotated[Path | None, typer.Option(help="Add third-party training sets")] = None,
    tune: Annotated[
        bool,
        typer.Option(
            help="Fine-tune e5-small's top layers first (needs torch, the transformers extra; "
            "~10 min on 2 cores); --no-tune fits the heads on the stock encoder"
        ),
    ] = True,
) -> None:
    """Train the default classifier from the corpus (reproduces the shipped artefact)."""
    options: dict[str, Any] = {"extra_datasets_dir": datasets, "progress": True, "tune": tune}
    if corpus is not None:
        options["corpus_dir"] = corpus
    if out is not None:
        options["out_dir"] = out
    try:
        report = train_model(**options)
    except TorchMissing as exc:
        raise KalkanError(str(exc)) from exc
    typer.echo(f"model {report.model_version}: thresholds {report.thresholds}")


def eval_(
    datasets: DatasetsOpt = None,
    full: Annotated[
        bool, typer.Option(help="Every suite case (~40k, minutes) instead of 20 per functionality")
    ] = False,
    cv: Annotated[
        bool,
        typer.Option(
            help="Also retrain on each of the 5 template folds and print dev ROC-AUC "
            "mean/min/max (minutes)"
        ),
    ] = False,
) -> None:
    """Per-language, per-label quality on the dev split, plus HateCheck functional tests."""
    report = evaluate(
        datasets_dir=_datasets(datasets),
        max_per_functionality=None if full else 20,
        progress=True,
    )
    typer.echo(format_report(report))
    if cv:
        try:
            rows = cross_validate(progress=True)
        except TorchMissing as exc:
            raise KalkanError(str(exc)) from exc
        typer.echo(format_cross_validation(rows))


def register(app: typer.Typer) -> None:
    """Add these commands to the `kalkan` app."""
    app.command()(train)
    app.command("eval")(eval_)
