"""`kalkan digest send` as a real process against a real SMTP server (contract: DESIGN.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from builders import make_alert, make_defender, make_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.smtp_server import TestSMTPServer

from monitor.config import Settings
from monitor.db import session_scope
from monitor.digest.period import team_zone, week_of
from monitor.models import Digest, utcnow


@pytest.fixture
def smtp_server() -> Iterator[TestSMTPServer]:
    with TestSMTPServer() as server:
        yield server


def kalkan(
    settings: Settings, server: TestSMTPServer | None, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KALKAN_DATABASE_URL": settings.database_url,
        "KALKAN_DATA_DIR": str(settings.data_dir),
        "KALKAN_ENV": "test",
        "KALKAN_BASE_URL": "https://kalkan.example",
    }
    env.pop("KALKAN_SMTP_HOST", None)
    if server is not None:
        env |= {"KALKAN_SMTP_HOST": server.host, "KALKAN_SMTP_PORT": str(server.port)}
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def this_week(factory: sessionmaker[Session]) -> str:
    """Seed an alert and two addressed users now; the current ISO week's label."""
    now = utcnow()
    with session_scope(factory) as session:
        make_user(session, email="olzhas@kalkan.example")
        make_user(session, role="admin", email="dana@kalkan.example")
        make_alert(session, defender=make_defender(session), opened_at=now, last_post_at=now)
    return week_of(now, team_zone("UTC")).label


def digests(factory: sessionmaker[Session]) -> int:
    with session_scope(factory) as session:
        return int(session.scalar(select(func.count(Digest.id))) or 0)


@pytest.mark.parametrize("week", ["2026-21", "2025-W53", "next week"])
def test_a_bad_week_is_one_line_on_stderr_and_exit_2(settings: Settings, week: str) -> None:
    result = kalkan(settings, None, "digest", "send", "--week", week)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("kalkan: error: ")
    assert [line for line in result.stderr.splitlines() if "kalkan: error" in line] == [
        result.stderr.strip().splitlines()[-1]
    ]


def test_dry_run_then_send_then_send_again(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    week = this_week(session_factory)

    dry = kalkan(settings, smtp_server, "digest", "send", "--week", week, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: nothing is sent or recorded" in dry.stdout
    assert "o***@kalkan.example" in dry.stdout and "olzhas@" not in dry.stdout
    assert "Alerts opened: 1" in dry.stdout
    assert smtp_server.messages == [] and digests(session_factory) == 0

    sent = kalkan(settings, smtp_server, "digest", "send", "--week", week)
    assert sent.returncode == 0, sent.stderr
    assert f"{week}: sent 2, already sent 0" in sent.stdout
    assert len(smtp_server.messages) == 2

    again = kalkan(settings, smtp_server, "digest", "send", "--week", week)
    assert again.returncode == 0 and f"{week}: sent 0, already sent 2" in again.stdout
    assert len(smtp_server.messages) == 2


def test_smtp_down_exits_1_and_the_next_run_sends(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    week = this_week(session_factory)
    smtp_server.stop()
    down = kalkan(settings, smtp_server, "digest", "send", "--week", week)
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert "kalkan: error: 2 digests not sent (ConnectionRefusedError)" in down.stderr
    assert "kalkan.example" not in down.stderr, "addresses stay out of errors and logs"
    smtp_server.start()
    up = kalkan(settings, smtp_server, "digest", "send", "--week", week)
    assert up.returncode == 0 and f"{week}: sent 2" in up.stdout


def test_sending_without_an_smtp_server_is_a_configuration_error(settings: Settings) -> None:
    week = week_of(utcnow(), team_zone("UTC")).label
    result = kalkan(settings, None, "digest", "send", "--week", week)
    assert result.returncode == 2
    assert "kalkan: error: no SMTP server configured: set KALKAN_SMTP_HOST" in result.stderr
