"""`kalkan sources recheck`: a real process against a fake Mastodon server on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from builders import make_alert, make_defender, make_match, make_post
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.http_server import Reply, TestHTTPServer
from support.platforms import MastodonFake

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Post, utcnow
from monitor.security.keys import derive_keys
from monitor.source.service import upsert_sources
from sources.registry import validate_config


def kalkan(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KALKAN_DATABASE_URL": settings.database_url,
        "KALKAN_DATA_DIR": str(settings.data_dir),
        "KALKAN_ENV": "test",
    }
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_recheck_prints_progress_and_marks_deleted_posts(
    settings: Settings, session_factory: sessionmaker[Session], http_server: TestHTTPServer
) -> None:
    fake = MastodonFake(http_server)
    ids = [fake.publish(n) for n in (1, 2)]
    fake.delete(ids[0])
    keys = derive_keys(settings)
    with session_scope(session_factory) as session:
        entry = fake.config("masto")
        [source] = upsert_sources(session, entries=[entry], validate=validate_config, keys=keys)
        defender = make_defender(session)
        rows = [
            make_post(session, source=source, external_id=i, collected_at=utcnow()) for i in ids
        ]
        for row in rows:
            make_match(session, post=row, defender=defender)
        make_alert(session, defender=defender, posts=rows)
    result = kalkan(settings, "sources", "recheck")
    assert result.returncode == 0, result.stderr
    assert "masto: 2 due, 1 deleted, 1 still there, 0 left for later" in result.stdout
    assert "1 posts newly found deleted" in result.stdout
    with session_scope(session_factory) as session:
        deleted = session.scalars(select(Post.external_id).where(Post.deleted_at.is_not(None)))
        assert list(deleted) == [ids[0]]

    fake.fail_next(Reply.json({"error": "Too many requests"}, status=429))
    with session_scope(session_factory) as session:
        for post in session.scalars(select(Post)):
            post.checked_at = utcnow() - timedelta(days=1)
    failed = kalkan(settings, "sources", "recheck", "--source", "masto")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "masto: 1 due, 0 deleted, 0 still there, 1 left for later" in failed.stdout
    assert "kalkan: source masto: RateLimited" in failed.stderr


def test_recheck_of_a_source_that_cannot_be_rechecked_is_one_line(settings: Settings) -> None:
    result = kalkan(settings, "sources", "recheck", "--source", "news")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "kalkan: error: source 'news' cannot be rechecked now" in result.stderr
