"""Prepare a demo: database, fictional defenders, an officer, a token and the live feed."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from monitor.config import Settings
from monitor.db import session_scope
from monitor.defender import repository as defender_repository
from monitor.defender.file import load_defenders_file
from monitor.defender.service import register_defenders
from monitor.demo.feed_server import DemoFeedServer
from monitor.models import DefenderEvent, utcnow
from monitor.runtime import Runtime, open_runtime
from monitor.source.service import upsert_sources
from monitor.user.service import create_api_token, ensure_user
from sources.registry import validate_config

DEFENDERS_FILE = Path(__file__).with_name("defenders.yaml")
DEMO_USERNAME = "officer"
SOURCE_INTERVAL_SECONDS = 5


@dataclass
class DemoSession:
    """What the demo command needs to serve: environment for the app, and how to stop."""

    host: str
    port: int
    environment: dict[str, str]
    stop: Callable[[], None]


def _demo_settings() -> Settings:
    data_dir = Path(os.environ.get("KALKAN_DATA_DIR", "var"))
    url = os.environ.get("KALKAN_DATABASE_URL")
    if not url:
        database = data_dir / "demo.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{database}"
    return Settings(env="demo", data_dir=data_dir, database_url=url)


def seed(runtime: Runtime, *, feed_url: str) -> tuple[str, str]:
    """Fictional defenders, an upcoming event, the demo officer and feed; returns (pw, token)."""
    password = secrets.token_urlsafe(12)
    now = utcnow()
    with session_scope(runtime.session_factory) as session:
        register_defenders(
            session, profiles=load_defenders_file(DEFENDERS_FILE), keys=runtime.keys, now=now
        )
        aigerim = defender_repository.get_by_slug(session, "aigerim")
        if aigerim is not None:
            session.add(
                DefenderEvent(
                    defender_id=aigerim.id,
                    title="Лекция о правах женщин",
                    starts_at=now + timedelta(days=3),
                    venue="Жібек",
                    city="Алматы",
                )
            )
        user = ensure_user(session, username=DEMO_USERNAME, password=password, role="officer")
        _, token = create_api_token(session, user=user, name="demo", keys=runtime.keys)
        entry = {
            "name": "demo-feed",
            "platform": "rss",
            "url": feed_url,
            "interval": SOURCE_INTERVAL_SECONDS,
        }
        upsert_sources(session, entries=[entry], validate=validate_config, keys=runtime.keys)
    return password, token


def prepare_demo(*, host: str, port: int) -> DemoSession:
    """Build everything the demo serves and print how to get in."""
    settings = _demo_settings()
    feed = DemoFeedServer().start()
    runtime = open_runtime(settings)
    password, token = seed(runtime, feed_url=feed.url)
    runtime.dispose()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    print(
        "\nKalkan demo — every person and post here is fictional.\n"
        f"  Dashboard:  http://{shown_host}:{port}/\n"
        f"  Login:      {DEMO_USERNAME} / {password}\n"
        f"  API token:  {token}\n"
        f"  Try:        curl -H 'Authorization: Bearer {token}' "
        f"http://{shown_host}:{port}/api/v1/alerts\n"
        f"  Database:   {settings.database_url}\n"
        "Alerts appear within a minute as the fictional feed publishes. Ctrl+C stops.\n",
        flush=True,
        file=sys.stdout,
    )
    environment = {
        "KALKAN_ENV": "demo",
        "KALKAN_DATA_DIR": str(settings.data_dir),
        "KALKAN_DATABASE_URL": settings.database_url,
    }
    return DemoSession(host=host, port=port, environment=environment, stop=feed.stop)
