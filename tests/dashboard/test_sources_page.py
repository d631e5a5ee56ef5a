"""The /sources page and source-health alerts in the feed, detail page and JSON API.

Run with KALKAN_SCREENSHOTS=1 to (re)write docs/screenshots/sources.png (headless Chromium).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from builders import Credentials, make_post, make_source, make_user_with_token
from fastapi.testclient import TestClient

from monitor.db import session_scope
from monitor.models import utcnow
from monitor.runtime import Runtime
from monitor.source.health import raise_health_alerts

Login = Callable[[Credentials], str]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "sources.png"


def seed_sources(runtime: Runtime) -> dict[str, int]:
    """An ok, a failing, a silent and a never-run source, relative to the real clock."""
    now = utcnow()
    with session_scope(runtime.session_factory) as session:
        ok = make_source(session, name="rss-azattyq", platform="rss")
        failing = make_source(session, name="telegram-kz-news", platform="telegram")
        silent = make_source(session, name="mastodon-kz-tag", platform="mastodon")
        fresh = make_source(session, name="youtube-comments", platform="youtube")
        for source in (ok, failing, silent):
            source.last_run_at = source.last_success_at = now - timedelta(minutes=2)
        failing.last_success_at = now - timedelta(hours=1, minutes=5)
        failing.consecutive_failures = 4
        failing.last_error_at = now - timedelta(minutes=2)
        failing.last_error = "TransientError: HTTP 502 from t.me"
        failing.next_run_not_before = now + timedelta(minutes=8)
        for i in range(30):  # each post published when it was collected
            for source, ago in (
                (ok, timedelta(minutes=10 + 25 * i)),
                (failing, timedelta(hours=1 + i)),
                (silent, timedelta(hours=20 + i)),
            ):
                make_post(session, source=source, posted_at=now - ago, collected_at=now - ago)
        raise_health_alerts(session, now=now)
        ids = {"ok": ok.id, "failing": failing.id, "silent": silent.id, "never_run": fresh.id}
    return ids


def test_sources_page_needs_login(client: TestClient) -> None:
    response = client.get("/sources")
    assert response.status_code == 303 and "/login" in response.headers["location"]


def test_sources_page_lists_health(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    seed_sources(runtime)
    login(officer)
    response = client.get("/sources")
    html = response.text
    assert response.status_code == 200
    assert 'href="/sources"' in html  # in the top navigation
    for status in ("ok", "failing", "silent", "never_run"):
        assert f"health-badge-{status}" in html
    assert "TransientError: HTTP 502 from t.me" in html
    assert "Next retry" in html and "Failures in a row" in html
    assert "2 of 4 need attention" in html
    assert (
        html.index("telegram-kz-news") < html.index("mastodon-kz-tag") < html.index("rss-azattyq")
    )
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "<script" not in html and "style=" not in html


def test_source_alerts_in_feed_and_detail(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    seed_sources(runtime)
    login(officer)
    feed = client.get("/").text
    assert "Source telegram-kz-news is failing: TransientError: HTTP 502 from t.me" in feed
    assert "Source mastodon-kz-tag has fallen silent" in feed
    assert "source telegram-kz-news" in feed
    token = {"Authorization": f"Bearer {officer.token}"}
    items = client.get("/api/v1/alerts?severity=high", headers=token).json()["items"]
    (failing,) = [i for i in items if i["category"] == "source_health"]
    detail = client.get(f"/alerts/{failing['id']}")
    assert detail.status_code == 200
    assert "telegram-kz-news" in detail.text and "Posts in this alert" not in detail.text


def test_api_shape_of_a_source_alert(
    client: TestClient, officer: Credentials, runtime: Runtime
) -> None:
    seed_sources(runtime)
    token = {"Authorization": f"Bearer {officer.token}"}
    items = client.get("/api/v1/alerts", headers=token).json()["items"]
    by_source = {i["source"]: i for i in items if i["category"] == "source_health"}
    assert set(by_source) == {"telegram-kz-news", "mastodon-kz-tag"}
    failing = by_source["telegram-kz-news"]
    assert failing["defender"] is None and failing["severity"] == "high"
    assert failing["post_count"] == 0 and failing["status"] == "open"
    assert by_source["mastodon-kz-tag"]["severity"] == "medium"
    detail = client.get(f"/api/v1/alerts/{failing['id']}", headers=token).json()
    assert detail["alert"]["source"] == "telegram-kz-news" and detail["defender_name"] is None
    acked = client.post(f"/api/v1/alerts/{failing['id']}/ack", headers=token).json()
    assert acked["status"] == "acknowledged" and acked["source"] == "telegram-kz-news"


@pytest.mark.browser
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_sources_page_in_a_browser(server: str, runtime: Runtime) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    seed_sources(runtime)
    with session_scope(runtime.session_factory) as session:
        officer = make_user_with_token(session, keys=runtime.keys, display_name="Dana (officer)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(server + "/login")
        page.fill("#username", officer.username)
        page.fill("#password", officer.password)
        page.click("button[type=submit]")
        page.wait_for_url(server + "/")
        page.click("nav a[href='/sources']")
        page.wait_for_url(server + "/sources")
        assert page.locator(".source-row").count() == 4
        assert page.locator(".health-badge-failing").is_visible()
        if os.environ.get("KALKAN_SCREENSHOTS") == "1":
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        browser.close()
