"""`kalkan match` and `kalkan classify`: the JSON Lines contracts in DESIGN.md."""

from __future__ import annotations

from typing import Annotated

import typer

from classifiers.default import classify_records, load_default
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
        posts = read_posts(lines, name=input)
        for line in classify_records(posts, classifier, batch_size=batch_size):
            write_line(out, line)


def register(app: typer.Typer) -> None:
    """Add these commands to the `kalkan` app."""
    app.command()(match)
    app.command()(classify)
