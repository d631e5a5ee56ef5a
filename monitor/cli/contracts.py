"""`kalkan match` and `kalkan classify`: the JSON Lines contracts in DESIGN.md."""

from __future__ import annotations

from typing import Annotated, TextIO

import typer
from classifiers.default import load_default

from classifiers.base import LABELS, TextClassifier
from monitor.cli.io import open_input, open_output
from monitor.defender.file import load_defenders_file
from monitor.jsonl import read_posts, write_line
from monitor.matching.command import match_stream
from monitor.matching.engine import Matcher

InputOpt = Annotated[str, typer.Option("--input", "-i", help="JSON Lines posts, or - for stdin")]
OutputOpt = Annotated[str, typer.Option("--output", "-o", help="Output file, or - for stdout")]


def match(
    defenders: Annotated[str, typer.Option(help="Defenders YAML file")],
    input: InputOpt,
    output: OutputOpt = "-",
) -> None:
    """Find defenders' names, handles and contact details in posts."""
    matcher = Matcher.build(load_defenders_file(defenders))
    with open_input(input) as lines, open_output(output) as out:
        match_stream(matcher, lines, out, name=input)


def classify(
    input: InputOpt,
    output: OutputOpt = "-",
    batch_size: Annotated[int, typer.Option(help="Posts scored per batch")] = 64,
) -> None:
    """Score posts for threat, incitement, insult, identity attack and sexual harassment."""
    classifier = load_default()
    with open_input(input) as lines, open_output(output) as out:
        batch: list[dict[str, object]] = []
        for post in read_posts(lines, name=input):
            batch.append(post)
            if len(batch) >= batch_size:
                _write_scores(classifier, batch, out)
                batch = []
        if batch:
            _write_scores(classifier, batch, out)


def _write_scores(classifier: TextClassifier, batch: list[dict[str, object]], out: TextIO) -> None:
    predictions = classifier.predict([str(post["text"]) for post in batch])
    for post, prediction in zip(batch, predictions, strict=True):
        line: dict[str, object] = {
            "id": post["id"],
            "lang": prediction.lang,
            "scores": {label: round(float(prediction.scores[label]), 6) for label in LABELS},
        }
        if prediction.error:
            line["error"] = prediction.error
        write_line(out, line)


def register(app: typer.Typer) -> None:
    """Add these commands to the `kalkan` app."""
    app.command()(match)
    app.command()(classify)
