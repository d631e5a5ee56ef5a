"""The `kalkan` command: contracts (match, classify, collect, demo, serve, db) and admin tools.

Errors a user can fix end as one line on stderr and exit code 2 — never a traceback.
"""

from __future__ import annotations

import logging
import sys

import typer

from monitor.cli import admin, contracts, digest, evidence, model, run
from monitor.errors import KalkanError
from sources.errors import SourceError

app = typer.Typer(
    name="kalkan",
    help="Kalkan: early warning for online harassment of human-rights defenders.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
contracts.register(app)
run.register(app)
model.register(app)
admin.register(app)
digest.register(app)
evidence.register(app)


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpx logs every request URL at INFO; search URLs carry defenders' names.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    try:
        app()
    except (KalkanError, SourceError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        typer.echo(f"kalkan: error: {message}", err=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
