"""Administration: the database, people, API tokens, defenders and sources."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from monitor.config import get_settings
from monitor.db import session_scope
from monitor.defender.file import load_defenders_file
from monitor.defender.service import register_defenders
from monitor.errors import InputError
from monitor.models import User, utcnow
from monitor.pipeline.recheck import RecheckOutcome, RecheckPolicy, recheck_due
from monitor.runtime import open_runtime
from monitor.source.factory import source_factory
from monitor.source.service import list_sources, load_sources_file, upsert_sources
from monitor.user.service import (
    create_api_token,
    create_user,
    get_user_by_username,
    set_email,
)
from sources.registry import validate_config

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="People who use the dashboard.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for programs.", no_args_is_help=True)
defenders_app = typer.Typer(help="Defenders Kalkan watches over.", no_args_is_help=True)
sources_app = typer.Typer(help="Where posts are collected from.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest revision."""
    settings = get_settings()
    open_runtime(settings).dispose()
    typer.echo("database is up to date")


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="viewer | officer | admin")] = "officer",
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin")] = False,
    email: Annotated[
        str | None, typer.Option(help="Where notifications and the weekly digest go")
    ] = None,
) -> None:
    """Create a user; the password is prompted for (never passed on the command line)."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass()
    if len(password) < 12:
        raise InputError("the password must have at least 12 characters")
    runtime = open_runtime(get_settings())
    with session_scope(runtime.session_factory) as session:
        create_user(session, username=username, password=password, role=role, email=email)
    typer.echo(f"created {role} {username}")


def _user_named(session: Session, username: str) -> User:
    """The user called `username`, or a one-line error naming it."""
    user = get_user_by_username(session, username)
    if user is None:
        raise InputError(f"no user named {username!r}")
    return user


@users_app.command("set-email")
def users_set_email(
    username: str,
    email: Annotated[str, typer.Argument(help="The address; an empty string removes it")],
) -> None:
    """Set where a user's notifications and weekly digest go."""
    runtime = open_runtime(get_settings())
    with session_scope(runtime.session_factory) as session:
        user = _user_named(session, username)
        set_email(session, user=user, email=email)
    typer.echo(f"{username}: e-mail {'set' if email.strip() else 'removed'}")


@tokens_app.command("create")
def tokens_create(
    username: str, name: Annotated[str, typer.Option(help="What the token is for")] = "cli"
) -> None:
    """Create an API token for a user and print it once."""
    runtime = open_runtime(get_settings())
    with session_scope(runtime.session_factory) as session:
        user = _user_named(session, username)
        _, token = create_api_token(session, user=user, name=name, keys=runtime.keys)
    typer.echo(token)


@defenders_app.command("import")
def defenders_import(path: str) -> None:
    """Add or update defenders from a defenders YAML file (contact details are encrypted)."""
    profiles = load_defenders_file(path)
    runtime = open_runtime(get_settings())
    with session_scope(runtime.session_factory) as session:
        register_defenders(session, profiles=profiles, keys=runtime.keys, now=utcnow())
    typer.echo(f"imported {len(profiles)} defenders")


@sources_app.command("add")
def sources_add(path: str) -> None:
    """Add or update the sources listed in a sources YAML file."""
    entries = load_sources_file(path)
    runtime = open_runtime(get_settings())
    with session_scope(runtime.session_factory) as session:
        upsert_sources(session, entries=entries, validate=validate_config, keys=runtime.keys)
    typer.echo(f"saved {len(entries)} sources")


@sources_app.command("list")
def sources_list() -> None:
    """Show every source with its health."""
    runtime = open_runtime(get_settings())
    with session_scope(runtime.session_factory) as session:
        for row in list_sources(session):
            state = "ok" if not row.consecutive_failures else f"{row.consecutive_failures} failures"
            last = row.last_success_at.isoformat(timespec="seconds") if row.last_success_at else "-"
            typer.echo(
                f"{row.name}\t{row.platform}\t{state}\tlast success {last}\t"
                f"{row.items_total} posts\t{row.last_error or ''}"
            )


@sources_app.command("recheck")
def sources_recheck(
    source: Annotated[str | None, typer.Option(help="Only this source")] = None,
) -> None:
    """Look evidence posts up again on their platforms now and mark the deleted ones."""
    runtime = open_runtime(get_settings())
    outcomes = recheck_due(
        runtime.session_factory,
        build=source_factory(runtime.settings),
        keys=runtime.keys,
        policy=RecheckPolicy.from_settings(runtime.settings),
        progress=_print_recheck,
        only=source,
    )
    runtime.dispose()
    if source is not None and not outcomes:
        raise InputError(
            f"source {source!r} cannot be rechecked now: unknown, disabled, backing off, "
            "or its platform cannot look posts up by id (RSS, imports)"
        )
    gone = sum(o.gone for o in outcomes)
    typer.echo(f"rechecked {len(outcomes)} sources: {gone} posts newly found deleted")
    if any(o.error for o in outcomes):
        raise typer.Exit(1)


def _print_recheck(outcome: RecheckOutcome) -> None:
    """One progress line per source, as soon as it is done."""
    line = (
        f"{outcome.source}: {outcome.asked} due, {outcome.gone} deleted, "
        f"{outcome.present} still there, {outcome.unchecked} left for later"
    )
    typer.echo(line)
    if outcome.error:
        typer.echo(f"kalkan: source {outcome.source}: {outcome.error}", err=True)


def register(app: typer.Typer) -> None:
    """Add these command groups to the `kalkan` app."""
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(defenders_app, name="defenders")
    app.add_typer(sources_app, name="sources")
