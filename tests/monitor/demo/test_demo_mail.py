"""`kalkan demo` honours the SMTP settings: the demo officer is mailed, links lead to the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_alert
from sqlalchemy import select
from support.smtp_server import TestSMTPServer

from monitor.config import Settings
from monitor.db import session_scope
from monitor.demo.launch import DEMO_USERNAME, prepare_demo
from monitor.models import User, utcnow
from monitor.notify.round import notify_round
from monitor.runtime import open_runtime


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment for the demo, its files under a temporary folder."""
    for name in ("KALKAN_DATABASE_URL", "KALKAN_SMTP_HOST", "KALKAN_BASE_URL", "KALKAN_DEMO_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KALKAN_DATA_DIR", str(tmp_path / "var"))
    return tmp_path


def test_with_smtp_the_demo_officer_is_mailed_with_links_to_the_demo(
    demo_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestSMTPServer() as server:
        monkeypatch.setenv("KALKAN_SMTP_HOST", server.host)
        monkeypatch.setenv("KALKAN_SMTP_PORT", str(server.port))
        demo = prepare_demo(host="127.0.0.1", port=8123)
        try:
            banner = capsys.readouterr().out
            assert (
                f"Mail:       alerts and digests to officer@example.org via 127.0.0.1:{server.port}"
                in banner
            )
            for name, value in demo.environment.items():
                monkeypatch.setenv(name, value)
            settings = Settings()  # as the demo's web process reads it
            assert settings.public_url == "http://127.0.0.1:8123"
            runtime = open_runtime(settings)
            now = utcnow()
            with session_scope(runtime.session_factory) as session:
                alert_id = make_alert(session, severity="high", opened_at=now, last_post_at=now).id
            notify_round(runtime.session_factory, settings=settings, now=now)
            runtime.dispose()
        finally:
            demo.stop()
        [message] = server.messages
    assert message.rcpt_tos == ("officer@example.org",)
    assert f"http://127.0.0.1:8123/alerts/{alert_id}" in message.texts()[0]


def test_without_smtp_the_demo_mails_nothing(
    demo_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = prepare_demo(host="127.0.0.1", port=8124)
    demo.stop()
    assert "Mail:       off (set KALKAN_SMTP_HOST" in capsys.readouterr().out
    settings = Settings(database_url=demo.environment["KALKAN_DATABASE_URL"])
    runtime = open_runtime(settings)
    with session_scope(runtime.session_factory) as session:
        officer = session.scalars(select(User).where(User.username == DEMO_USERNAME)).one()
        assert officer.email is None
    runtime.dispose()
