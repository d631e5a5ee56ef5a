"""Re-importing Telegram HTML exports through collection and ingest stores each message once.

Runs the real path `kalkan collect` takes (registry → ImportSource → ingest with its upsert)
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Post
from monitor.pipeline.collect import collect_source
from monitor.security.keys import derive_keys
from monitor.source.factory import source_factory
from monitor.source.service import upsert_sources
from sources.registry import validate_config

EXPORTS = Path(__file__).parent / "data" / "telegram_html"


def _collect(settings: Settings, factory: sessionmaker[Session]) -> int:
    """One collection run of the drop folder; the number of posts that were new."""
    outcome = collect_source(
        factory,
        name="forwarded",
        build=source_factory(settings),
        keys=derive_keys(settings),
        force=True,
    )
    assert outcome.error is None and outcome.stats is not None
    return outcome.stats.new


def _stored(factory: sessionmaker[Session]) -> list[str]:
    with session_scope(factory) as session:
        return sorted(session.scalars(select(Post.external_id)))


def test_html_exports_dropped_again_store_nothing_twice(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    drop = tmp_path / "drop"
    shutil.copytree(EXPORTS / "ChatExport_2025-03-16", drop / "ChatExport_2025-03-16")
    entry = {"name": "forwarded", "platform": "import", "path": str(drop)}
    with session_scope(session_factory) as session:
        upsert_sources(
            session, entries=[entry], validate=validate_config, keys=derive_keys(settings)
        )
    assert _collect(settings, session_factory) == 10
    assert _collect(settings, session_factory) == 0
    first = _stored(session_factory)

    # The same chat exported again a week later, with one more message, dropped beside it.
    later = drop / "ChatExport_2025-03-23"
    shutil.copytree(EXPORTS / "ChatExport_2025-03-16", later)
    page = later / "messages2.html"
    html = page.read_text(encoding="utf-8")
    end = html.rindex("\n    </div>\n\n   </div>")
    extra = (
        '\n     <div class="message default clearfix" id="message16">\n      <div class="body">\n'
        '       <div class="pull_right date details" title="22.03.2025 19:00:00 UTC+05:00">\n'
        '19:00\n       </div>\n       <div class="from_name">\nБолат Жаксылыков \n'
        '       </div>\n       <div class="text">\nМы придём на ваш семинар.\n'
        "       </div>\n      </div>\n     </div>\n"
    )
    page.write_text(html[:end] + extra + html[end:], encoding="utf-8")
    assert _collect(settings, session_factory) == 1
    assert _stored(session_factory) == sorted([*first, first[0].rsplit(":", 1)[0] + ":16"])
    with session_scope(session_factory) as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 11


def test_kalkan_collect_prints_an_html_export_once(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        "sources:\n  - name: forwarded\n    platform: import\n"
        f"    path: {EXPORTS / 'ChatExport_2021-05-24'}\n    timezone: Asia/Almaty\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "KALKAN_DATABASE_URL": f"sqlite:///{tmp_path / 'kalkan.db'}",
        "KALKAN_DATA_DIR": str(tmp_path / "var"),
        "KALKAN_ENV": "test",
    }

    def collect() -> list[dict[str, object]]:
        result = subprocess.run(
            [sys.executable, "-m", "monitor", "collect", "--config", str(config), "--once"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return [json.loads(line) for line in result.stdout.splitlines()]

    first = collect()
    authors = [line["author"] for line in first]
    assert authors == ["Гульнара Сейтказы", "Марат Ержанов", "Марат Ержанов"]
    assert first[0]["platform"] == "telegram_export"
    assert first[0]["created_at"] == "2021-05-24T08:03:11+00:00"
    assert collect() == []
