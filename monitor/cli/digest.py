"""`kalkan digest send --week YYYY-Www [--dry-run]`: the weekly digest (contract in DESIGN.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.config import get_settings
from monitor.digest.period import parse_week
from monitor.digest.service import DigestPlan, plan_week, send_week
from monitor.models import utcnow
from monitor.runtime import open_runtime

digest_app = typer.Typer(help="The weekly digest e-mail.", no_args_is_help=True)


@digest_app.command("send")
def digest_send(
    week: Annotated[str, typer.Option(help="ISO week, e.g. 2026-W21")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send and record nothing")
    ] = False,
) -> None:
    """Send that week's digest to every active user who has not had it yet."""
    period = parse_week(week)
    runtime = open_runtime(get_settings())
    now = utcnow()
    try:
        if dry_run:
            with runtime.session_factory() as session:
                _print_plan(plan_week(session, settings=runtime.settings, week=period, now=now))
            return
        report = send_week(runtime.session_factory, settings=runtime.settings, week=period, now=now)
    finally:
        runtime.dispose()
    typer.echo(
        f"{report.period}: sent {len(report.sent)}, already sent {report.already_sent}, "
        f"{report.without_address} without an e-mail address"
        + (f", {report.busy} being sent by another run" if report.busy else "")
    )
    if report.failed:
        typer.echo(
            f"kalkan: error: {report.failed} digests not sent ({report.failure}); "
            "they are sent by the next run",
            err=True,
        )
        raise typer.Exit(1)


def _print_plan(plan: DigestPlan) -> None:
    """What a send would do: recipients (addresses masked), the subject and the text body."""
    typer.echo(f"Digest {plan.week.label} — dry run: nothing is sent or recorded.")
    typer.echo(f"Would send to {len(plan.to_send)}:")
    for recipient in plan.to_send:
        typer.echo(f"  {recipient.username} <{recipient.masked}>")
    if plan.already_sent:
        typer.echo(f"Already sent: {', '.join(plan.already_sent)}")
    if plan.without_address:
        typer.echo(f"Without an e-mail address (skipped): {', '.join(plan.without_address)}")
    typer.echo(f"Subject: {plan.digest.subject}\n")
    typer.echo(plan.digest.text)


def register(app: typer.Typer) -> None:
    """Add `kalkan digest` to the app."""
    app.add_typer(digest_app, name="digest")
