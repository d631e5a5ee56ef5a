"""The /sources page tells the operator whether outgoing mail flows (never an address)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from builders import Credentials, make_alert
from fastapi.testclient import TestClient
from mail_support import mail_settings
from support.smtp_server import TestSMTPServer

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import utcnow
from monitor.notify.round import notify_round
from monitor.runtime import Runtime

Login = Callable[[Credentials], str]


@pytest.fixture
def settings(tmp_path: Path, database_url: str, request: pytest.FixtureRequest) -> Settings:
    """Test settings whose SMTP server is down (nothing listens), or "off": none at all."""
    base = Settings(env="test", data_dir=tmp_path / "var", database_url=database_url)
    if getattr(request, "param", "down") == "off":
        return base
    # http: an https:// base URL would make the session cookie Secure, unsent by TestClient
    return mail_settings(base, TestSMTPServer(), base_url="http://kalkan.example")


def test_a_failing_smtp_server_shows_on_the_sources_page(
    client: TestClient,
    make_account: Callable[..., Credentials],
    login: Login,
    runtime: Runtime,
) -> None:
    officer = make_account(email="olzhas@kalkan.example")
    now = utcnow()
    with session_scope(runtime.session_factory) as session:
        make_alert(session, severity="high", opened_at=now, last_post_at=now)
    report = notify_round(runtime.session_factory, settings=runtime.settings, now=now)
    assert report.queued == 1 and report.sent.failure == "ConnectionRefusedError"
    login(officer)
    html = client.get("/sources").text
    assert "Outgoing mail is failing: 1 of 1 messages waiting" in html
    assert "ConnectionRefusedError" in html and "mail-troubled" in html
    assert "olzhas@" not in html


@pytest.mark.parametrize("settings", ["off"], indirect=True)
def test_without_smtp_the_page_says_mail_is_off(
    client: TestClient, officer: Credentials, login: Login
) -> None:
    login(officer)
    html = client.get("/sources").text
    assert "Outgoing mail is off (no KALKAN_SMTP_HOST)" in html
    assert "mail-troubled" not in html
