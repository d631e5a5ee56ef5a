"""kill -9 in the middle of collection and processing, then restart: nothing lost, nothing twice.

A real `kalkan worker` process collects a slow RSS feed (served in small chunks so a kill can
land mid-download, mid-ingest or mid-pipeline) and is killed repeatedly at random moments;
then the work is finished and the database is checked for exactly-once results.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import func, select

from monitor.db import make_engine, make_session_factory, session_scope
from monitor.models import Alert, AlertPost, Match, Post

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DEFENDERS = REPO / "monitor" / "demo" / "defenders.yaml"
POSTS = 240
TEXTS = [
    "Айгерим Нурланова, мы знаем где ты живешь, жди гостей",
    "Номер Нурлановой 8 701 555 23 47 звоните ей все",
    "Марат Ержанов опять врёт, позор ему",
    "Погода в Алматы сегодня хорошая",
    "Дана Сейтқали, сені тауып аламыз",
]


def feed_xml() -> bytes:
    start = datetime(2026, 5, 1, tzinfo=UTC)
    items = "".join(
        f"<item><guid>post-{n}</guid><link>https://example.org/p/{n}</link>"
        f"<pubDate>{format_datetime(start + timedelta(minutes=n))}</pubDate>"
        f"<description>{escape(TEXTS[n % len(TEXTS)])} #{n}</description></item>"
        for n in range(POSTS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
        "</channel></rss>".encode()
    )


@pytest.fixture
def slow_feed() -> Iterator[str]:
    body = feed_xml()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for offset in range(0, len(body), 2048):
                self.wfile.write(body[offset : offset + 2048])
                time.sleep(0.01)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()


def kalkan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_repeated_kill_9_then_restart_is_exactly_once(
    tmp_path: Path, database_url: str, slow_feed: str
) -> None:
    env = {
        **os.environ,
        "KALKAN_DATABASE_URL": database_url,
        "KALKAN_DATA_DIR": str(tmp_path / "var"),
        "KALKAN_ENV": "test",
    }
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"sources:\n  - name: slow\n    platform: rss\n    url: {slow_feed}\n    interval: 1\n"
    )
    kalkan(env, "defenders", "import", str(DEFENDERS))
    kalkan(env, "sources", "add", str(sources))

    chaos = random.Random(20260524)
    for _ in range(5):
        worker = subprocess.Popen(
            [sys.executable, "-m", "monitor", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chaos.uniform(2.0, 6.0))
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    kalkan(env, "collect", "--config", str(sources), "--once", "--output", str(tmp_path / "o"))
    kalkan(env, "pipeline")

    engine = make_engine(database_url)
    with session_scope(make_session_factory(engine)) as session:

        def count(query: object) -> int:
            return int(session.scalar(query) or 0)  # type: ignore[arg-type]

        assert count(select(func.count(Post.id))) == POSTS
        assert count(select(func.count(func.distinct(Post.external_id)))) == POSTS
        assert count(select(func.count(Post.id)).where(Post.alerted_at.is_(None))) == 0
        linked = count(select(func.count()).select_from(AlertPost))
        assert linked == count(
            select(func.count(func.distinct(AlertPost.alert_id * 100_000 + AlertPost.post_id)))
        )
        live = session.execute(
            select(Alert.group_key, func.count())
            .where(Alert.status != "closed")
            .group_by(Alert.group_key)
        ).all()
        assert live and all(n == 1 for _, n in live), live
        assert count(select(func.count(Match.id))) >= POSTS * 3 // 5
    engine.dispose()
