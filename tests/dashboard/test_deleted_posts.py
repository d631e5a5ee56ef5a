"""A post deleted on its platform: the alert page and the API say so and still show the text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from builders import NOW, Credentials, make_alert, make_defender, make_match, make_post
from fastapi.testclient import TestClient

from monitor.db import session_scope
from monitor.runtime import Runtime

Login = Callable[[Credentials], str]
DELETED_AT = NOW - timedelta(hours=3)


def seed(runtime: Runtime, **post: object) -> int:
    with session_scope(runtime.session_factory) as session:
        defender = make_defender(session)
        kept = make_post(session, text="<b>Fictional threat, kept</b>", **post)
        live = make_post(session, text="Fictional post still online")
        for row in (kept, live):
            make_match(session, post=row, defender=defender)
        return make_alert(session, defender=defender, posts=[kept, live]).id


def test_the_alert_page_marks_the_deleted_post_and_keeps_its_text(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    alert_id = seed(runtime, deleted_at=DELETED_AT)
    login(officer)
    html = client.get(f"/alerts/{alert_id}").text
    assert html.count("Deleted on the platform") == 1
    assert "found gone at 2026-05-20 09:00 UTC" in html
    assert "ctional threat, kept&lt;/b&gt;" in html and "<b>" not in html  # kept, inert
    assert "collected again" not in html


def test_a_reappearance_is_shown_beside_the_mark_and_in_the_api(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    back = (NOW - timedelta(hours=1)).isoformat()
    alert_id = seed(runtime, deleted_at=DELETED_AT, raw={"reappeared_at": back})
    login(officer)
    assert "collected again at 2026-05-20 11:00 UTC" in client.get(f"/alerts/{alert_id}").text
    headers = {"Authorization": f"Bearer {officer.token}"}
    posts = client.get(f"/api/v1/alerts/{alert_id}", headers=headers).json()["posts"]
    marks = sorted((p["deleted_at"], p["reappeared_at"]) for p in posts if p["deleted_at"])
    assert marks == [("2026-05-20T09:00:00Z", "2026-05-20T11:00:00Z")]
    assert sum(p["deleted_at"] is None for p in posts) == 1
