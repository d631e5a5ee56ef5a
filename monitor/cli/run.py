"""Commands that run Kalkan: serve, demo, collect, pipeline."""

from __future__ import annotations

import os
import signal
import threading
from typing import Annotated

import typer
import uvicorn

from monitor.cli.io import open_output
from monitor.config import get_settings
from monitor.db import session_scope
from monitor.demo.launch import prepare_demo
from monitor.jsonl import write_line
from monitor.pipeline.collect import collect_source
from monitor.pipeline.runner import MatcherCache, run_pipeline
from monitor.runtime import open_runtime
from monitor.scheduler import shipped_classifier, start_scheduler
from monitor.source.factory import source_factory
from monitor.source.service import load_sources_file, upsert_sources
from sources.post import Post as CollectedPost
from sources.registry import validate_config

#: The web app is loaded by name: `monitor` never imports `dashboard` (layering).
APP_FACTORY = "dashboard.app:create_app"

HostOpt = Annotated[str | None, typer.Option(help="Interface to listen on")]
PortOpt = Annotated[int | None, typer.Option(help="Port to listen on")]


def serve(host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the dashboard and the scheduler in one process, configured from the environment."""
    settings = get_settings()
    open_runtime(settings).dispose()  # migrate before serving
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=1,
        log_level="info",
    )


def collect(
    config: Annotated[str, typer.Option(help="Sources YAML file")],
    once: Annotated[bool, typer.Option("--once", help="Run every source once and exit")] = False,
    output: Annotated[str, typer.Option(help="New posts as JSON Lines, or - for stdout")] = "-",
) -> None:
    """Collect every source in the file; print only posts not seen before."""
    if not once:
        raise typer.BadParameter("only --once is supported; `kalkan serve` collects on schedule")
    runtime = open_runtime(get_settings())
    build = source_factory(runtime.settings)
    entries = load_sources_file(config)
    with session_scope(runtime.session_factory) as session:
        upsert_sources(session, entries=entries, validate=validate_config, keys=runtime.keys)
    failures = 0
    with open_output(output) as out:
        for entry in entries:
            outcome = collect_source(
                runtime.session_factory,
                name=entry["name"],
                build=build,
                keys=runtime.keys,
                force=True,
            )
            if outcome.error:
                failures += 1
                typer.echo(f"kalkan: source {entry['name']}: {outcome.error}", err=True)
                continue
            new = outcome.stats.new_external_ids if outcome.stats else frozenset()
            for post in outcome.posts:
                if post.external_id in new:
                    write_line(out, _post_line(post))
    runtime.dispose()
    if failures:
        raise typer.Exit(1)


def _post_line(post: CollectedPost) -> dict[str, object]:
    """The `kalkan collect` output line for one new post (contract in DESIGN.md)."""
    line: dict[str, object] = {
        "source": post.source,
        "platform": post.platform,
        "external_id": post.external_id,
        "url": post.url,
        "author": post.author,
        "created_at": post.created_at.isoformat() if post.created_at else None,
        "text": post.text,
    }
    if post.lang:
        line["lang"] = post.lang
    if post.edited:
        line["edited"] = True
    return line


def worker() -> None:
    """Run only the scheduler (collection + pipeline), for when the web runs elsewhere."""
    runtime = open_runtime(get_settings())
    scheduler = start_scheduler(runtime)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown()
        runtime.dispose()


def pipeline() -> None:
    """Run the match, classify and alert stages over every pending post, then exit."""
    runtime = open_runtime(get_settings())
    stats = run_pipeline(
        runtime.session_factory,
        settings=runtime.settings,
        matchers=MatcherCache(runtime.keys),
        classifier=shipped_classifier(runtime.settings),
    )
    typer.echo(f"matched {stats.matched}, classified {stats.classified}, alerted {stats.alerted}")
    runtime.dispose()


def demo(host: HostOpt = None, port: PortOpt = None) -> None:
    """Everything on fictional data: seeded database, a live fictional feed, the dashboard."""
    session_env = prepare_demo(host=host or "127.0.0.1", port=port or 8000)
    os.environ.update(session_env.environment)
    get_settings.cache_clear()
    try:
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=session_env.host,
            port=session_env.port,
            workers=1,
            log_level="warning",
        )
    finally:
        session_env.stop()


def register(app: typer.Typer) -> None:
    """Add these commands to the `kalkan` app."""
    app.command()(serve)
    app.command()(demo)
    app.command()(collect)
    app.command()(pipeline)
    app.command()(worker)
