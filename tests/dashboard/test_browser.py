"""The pages people use, driven in real headless Chromium (Debian's, via Playwright).

Run with KALKAN_SCREENSHOTS=1 to (re)write docs/screenshots/alert-feed.png.
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from builders import (
    NOW,
    Credentials,
    make_alert,
    make_defender,
    make_match,
    make_post,
    make_score,
    make_user_with_token,
)

from monitor.case.verify import verify_bundle
from monitor.db import session_scope
from monitor.runtime import Runtime

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "alert-feed.png"
HOSTILE = (
    "<script>document.title='pwned';window.pwned=1</script>"
    '<img src=x onerror="window.pwned=2"> Айгуль Сапарова, мы знаем, где ты живёшь'
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"
    ),
]


def seed(runtime: Runtime) -> tuple[Credentials, int]:
    """An officer and a calm-looking fictional feed; returns the hostile alert's id."""
    with session_scope(runtime.session_factory) as session:
        officer = make_user_with_token(session, keys=runtime.keys, display_name="Dana (officer)")
        aigul = make_defender(session, slug="aigul", display_name="Айгуль Сапарова")
        marat = make_defender(session, slug="marat", display_name="Марат Ержанов")
        rows = [
            (
                aigul,
                "doxxing",
                "critical",
                "Контакты опубликованы: Айгуль Сапарова, звоните ей +7 701 ••• •• 47",
                0,
            ),
            (aigul, "threat", "high", HOSTILE, 4),
            (
                marat,
                "incitement",
                "high",
                "Все на встречу в субботу, покажем Марату Ержанову, что мы думаем",
                11,
            ),
            (marat, "abuse", "medium", "Марат Ержанов опять позорит страну своими лекциями", 38),
        ]
        hostile_id = 0
        for defender, category, severity, text, minutes in rows:
            post = make_post(session, text=text, url="https://social.example/post/" + category)
            make_score(
                session,
                post=post,
                threat=0.91 if severity != "medium" else 0.1,
                insult=0.7,
                flagged=["threat"] if severity != "medium" else ["insult"],
            )
            start = max(text.find(defender.display_name.split()[0]), 0)
            make_match(session, post=post, defender=defender, start=start, end=start + 6)
            alert = make_alert(
                session,
                defender=defender,
                posts=[post],
                severity=severity,
                category=category,
                title=f"{category.capitalize()} — {defender.display_name}",
                last_post_at=NOW - timedelta(minutes=minutes),
            )
            if text == HOSTILE:
                hostile_id = alert.id
        return officer, hostile_id


def test_login_feed_detail_acknowledge(server: str, runtime: Runtime) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    officer, hostile_id = seed(runtime)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(server + "/")
        assert "/login" in page.url
        page.fill("#username", officer.username)
        page.fill("#password", officer.password)
        page.click("button[type=submit]")
        page.wait_for_url(server + "/")
        assert page.locator(".alert-row").count() == 4
        assert page.locator(".badge-critical").first.is_visible()
        assert (
            "<script>"
            in page.locator(f".alert-row:has(a[href='/alerts/{hostile_id}']) .excerpt").inner_text()
        )
        assert page.evaluate("window.pwned") is None and page.title() != "pwned"
        if os.environ.get("KALKAN_SCREENSHOTS") == "1":
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)

        page.click(f"a[href='/alerts/{hostile_id}']")
        page.wait_for_url(f"{server}/alerts/{hostile_id}")
        assert page.locator("mark").first.inner_text() == "Айгуль"
        assert page.evaluate("window.pwned") is None and page.title() != "pwned"
        if os.environ.get("KALKAN_SCREENSHOTS") == "1":
            page.screenshot(path=str(SCREENSHOT.with_name("alert-detail.png")), full_page=True)
        page.click("button:has-text('Acknowledge')")
        page.wait_for_url(f"{server}/alerts/{hostile_id}")
        assert page.locator(".alert-head .status").inner_text() == "acknowledged"
        assert page.locator("button:has-text('Acknowledge')").count() == 0
        browser.close()


def test_case_from_an_alert_and_its_evidence_export(
    server: str, runtime: Runtime, tmp_path: Path
) -> None:
    """Open a case from the hostile alert, export it, and open the bundle's summary offline."""
    sync_api = pytest.importorskip("playwright.sync_api")
    officer, hostile_id = seed(runtime)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(f"{server}/login?next=/alerts/{hostile_id}")
        page.fill("#username", officer.username)
        page.fill("#password", officer.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server}/alerts/{hostile_id}")
        page.fill("#case-title", "Threats against Aigul")
        page.click("button:has-text('Open a case')")
        page.wait_for_url(re.compile(r".*/cases/\d+$"))
        assert page.locator("h1").inner_text().endswith("Threats against Aigul")
        assert page.locator(f"a[href='/alerts/{hostile_id}']").count() == 1
        with page.expect_download() as download_info:
            page.click("text=Export evidence")
        bundle = tmp_path / "bundle.zip"
        download_info.value.save_as(bundle)
        assert verify_bundle(bundle, key=runtime.keys.evidence_hmac).intact
        with zipfile.ZipFile(bundle) as archive:
            archive.extract("summary.html", tmp_path)
        page.goto((tmp_path / "summary.html").as_uri())
        assert "<script>" in page.locator("pre").first.inner_text()
        assert page.evaluate("window.pwned") is None and page.title() != "pwned"
        browser.close()
