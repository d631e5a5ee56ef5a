"""The feed and detail pages: content, filters, pages, acknowledging, and hostile posts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from builders import NOW, Credentials, make_alert, make_defender, make_match, make_post, make_score
from fastapi.testclient import TestClient
from sqlalchemy import select

from monitor.db import session_scope
from monitor.models import Alert, AuditEvent
from monitor.runtime import Runtime

Login = Callable[[Credentials], str]
HOSTILE_SCRIPT = "<script>document.title='pwned';window.pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.pwned=1">'


def seed_alert(
    runtime: Runtime,
    *,
    text: str = "Fictional threat text",
    url: str | None = None,
    severity: str = "high",
    **alert: object,
) -> int:
    with session_scope(runtime.session_factory) as session:
        defender = make_defender(session, display_name="Сауле Вымышленная")
        post = make_post(session, text=text, url=url or "https://example.org/p/1")
        make_score(
            session,
            post=post,
            threat=0.93,
            flagged=["threat"],
            explanations={"threat": "phrase 'we will find you'"},
        )
        start = max(text.find("Айгуль"), 0)
        make_match(session, post=post, defender=defender, start=start, end=start + 5)
        return make_alert(session, defender=defender, posts=[post], severity=severity, **alert).id


def test_feed_shows_alert_rows(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    alert_id = seed_alert(runtime, severity="critical")
    login(officer)
    html = client.get("/").text
    assert f'href="/alerts/{alert_id}"' in html
    assert "badge-critical" in html and "Сауле Вымышленная" in html
    assert "Fictional threat text" in html
    assert 'href="https://example.org/p/1" rel="noopener noreferrer nofollow"' in html


def test_feed_filters_and_pages(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    ids = [
        seed_alert(runtime, severity="medium", last_post_at=NOW - timedelta(minutes=i))
        for i in range(27)
    ]
    critical = seed_alert(runtime, severity="critical", last_post_at=NOW - timedelta(days=1))
    login(officer)
    first = client.get("/?severity=medium").text
    shown = [int(x) for x in re.findall(r'href="/alerts/(\d+)"', first)]
    assert shown == ids[:25] and critical not in shown
    next_url = re.search(r'href="(/\?[^"]*cursor=[^"]+)" rel="next"', first)
    assert next_url, "no link to older alerts"
    second = client.get(next_url.group(1).replace("&amp;", "&")).text
    assert [int(x) for x in re.findall(r'href="/alerts/(\d+)"', second)] == ids[25:]
    assert 'rel="next"' not in second


def test_detail_and_acknowledge(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    alert_id = seed_alert(runtime, text="Айгуль, we will find you")
    csrf = login(officer)
    page = client.get(f"/alerts/{alert_id}").text
    assert "<mark>Айгул</mark>ь, we will find you" in page
    assert "93%" in page and "flagged" in page and "we will find you" in page
    response = client.post(f"/alerts/{alert_id}/ack", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert "Acknowledge</button>" not in client.get(f"/alerts/{alert_id}").text
    with session_scope(runtime.session_factory) as session:
        assert session.get(Alert, alert_id).status == "acknowledged"
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "alert.acknowledge" in actions


def test_viewer_cannot_acknowledge(
    client: TestClient, make_account: Callable[..., Credentials], login: Login, runtime: Runtime
) -> None:
    alert_id = seed_alert(runtime)
    csrf = login(make_account(role="viewer"))
    assert client.post(f"/alerts/{alert_id}/ack", data={"csrf_token": csrf}).status_code == 403


def test_missing_alert_is_a_404_page(
    client: TestClient, officer: Credentials, login: Login
) -> None:
    login(officer)
    response = client.get("/alerts/999999")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


@pytest.mark.parametrize("hostile", [HOSTILE_SCRIPT, HOSTILE_IMG])
def test_hostile_text_is_escaped(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime, hostile: str
) -> None:
    alert_id = seed_alert(runtime, text=hostile + " Айгуль")
    login(officer)
    for page in (client.get("/").text, client.get(f"/alerts/{alert_id}").text):
        assert hostile not in page
        assert "<script>document" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page or "&lt;img" in page


def test_javascript_url_is_text_not_link(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    alert_id = seed_alert(runtime, url="javascript:alert(1)")
    login(officer)
    for page in (client.get("/").text, client.get(f"/alerts/{alert_id}").text):
        assert 'href="javascript' not in page
        assert "javascript:alert(1)" in page


def test_megabyte_post_is_truncated(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    alert_id = seed_alert(runtime, text="Айгуль " + "ж" * 1_000_000)
    login(officer)
    feed = client.get("/")
    detail = client.get(f"/alerts/{alert_id}")
    assert len(feed.content) < 50_000
    assert 30_000 < len(detail.content) < 100_000 and "text cut" in detail.text


@pytest.mark.parametrize("path", ["/login", "/request", "/", "/alerts/{id}", "/nope"])
def test_security_headers_on_every_page(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime, path: str
) -> None:
    alert_id = seed_alert(runtime)
    login(officer)
    response = client.get(path.format(id=alert_id))
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "<script" not in response.text and "style=" not in response.text


def test_feed_filters_by_defender(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    seed_alert(runtime)
    with session_scope(runtime.session_factory) as session:
        other = make_alert(session, defender=make_defender(session, slug="only-me")).id
    login(officer)
    page = client.get("/?defender=only-me").text
    assert [int(x) for x in re.findall(r'href="/alerts/(\d+)"', page)] == [other]
    assert 'href="/?defender=only-me"' in page
