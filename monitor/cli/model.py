"""Commands for the classifier: train and evaluate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from classifiers.evaluation import evaluate, format_report
from classifiers.training import DEFAULT_CORPUS_DIR, DEFAULT_OUT_DIR
from classifiers.training import train as train_model

SHARED_DATASETS = Path("..") / "shared" / "datasets"


def train(
    corpus: Annotated[Path, typer.Option(help="Corpus directory")] = DEFAULT_CORPUS_DIR,
    out: Annotated[
        Path, typer.Option(help="Where the model artefact is written")
    ] = DEFAULT_OUT_DIR,
    datasets: Annotated[Path | None, typer.Option(help="Third-party datasets dir")] = None,
) -> None:
    """Train the default classifier from the corpus (reproduces the shipped artefact)."""
    report = train_model(corpus_dir=corpus, out_dir=out, extra_datasets_dir=datasets, progress=True)
    typer.echo(str(report))


def eval_(
    datasets: Annotated[Path | None, typer.Option(help="Third-party datasets dir")] = None,
) -> None:
    """Per-language, per-label quality on the dev split, plus HateCheck functional tests."""
    folder = (
        datasets
        if datasets is not None
        else (SHARED_DATASETS if SHARED_DATASETS.exists() else None)
    )
    typer.echo(format_report(evaluate(datasets_dir=folder, progress=True)))


def register(app: typer.Typer) -> None:
    """Add these commands to the `kalkan` app."""
    app.command()(train)
    app.command("eval")(eval_)
