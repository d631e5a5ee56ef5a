"""Prepare a demo: database, fictional defenders, an officer, a token and the live feed.

With KALKAN_SMTP_HOST set the demo mails for real: the demo officer gets an address
(KALKAN_DEMO_EMAIL, default officer@example.org — point the SMTP settings at a local mail
catcher), links in mails point at the demo's own URL, and the scheduler's notify and
digest jobs run as in a deployment. Without it nothing is mailed.
"""

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
from monitor.user.service import create_api_token, ensure_user, set_email
from sources.registry import validate_config

DEFENDERS_FILE = Path(__file__).with_name("defenders.yaml")
DEMO_USERNAME = "officer"
DEMO_EMAIL = "officer@example.org"
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


def seed(runtime: Runtime, *, feed_url: str, email: str | None = None) -> tuple[str, str]:
    """Fictional defenders, an upcoming event, the demo officer (with `email`, where mail
    goes) and the feed; returns (password, token)."""
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
        set_email(session, user=user, email=email)
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
    mail_to = os.environ.get("KALKAN_DEMO_EMAIL", DEMO_EMAIL) if settings.mail_enabled else None
    feed = DemoFeedServer().start()
    runtime = open_runtime(settings)
    password, token = seed(runtime, feed_url=feed.url, email=mail_to)
    runtime.dispose()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    url = f"http://{shown_host}:{port}"
    mail = (
        f"  Mail:       alerts and digests to {mail_to} via {settings.smtp_host}:"
        f"{settings.smtp_port}\n"
        if mail_to
        else "  Mail:       off (set KALKAN_SMTP_HOST to send alerts and digests)\n"
    )
    print(
        "\nKalkan demo — every person and post here is fictional.\n"
        f"  Dashboard:  {url}/\n"
        f"  Login:      {DEMO_USERNAME} / {password}\n"
        f"  API token:  {token}\n"
        f"  Try:        curl -H 'Authorization: Bearer {token}' {url}/api/v1/alerts\n"
        f"  Database:   {settings.database_url}\n"
        f"{mail}"
        "Alerts appear within a minute as the fictional feed publishes. Ctrl+C stops.\n",
        flush=True,
        file=sys.stdout,
    )
    environment = {
        "KALKAN_ENV": "demo",
        "KALKAN_DATA_DIR": str(settings.data_dir),
        "KALKAN_DATABASE_URL": settings.database_url,
        # Links in mails lead to this demo unless the operator chose a public URL.
        "KALKAN_BASE_URL": settings.base_url or url,
    }
    return DemoSession(host=host, port=port, environment=environment, stop=feed.stop)
