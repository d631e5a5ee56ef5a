"""An escalated alert says so on its page and in the API; others do not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from builders import NOW, Credentials, make_alert, make_defender, make_match, make_post
from fastapi.testclient import TestClient

from monitor.db import session_scope
from monitor.runtime import Runtime

Login = Callable[[Credentials], str]
ESCALATED_AT = NOW - timedelta(minutes=20)


def seed(runtime: Runtime, **alert: object) -> int:
    with session_scope(runtime.session_factory) as session:
        defender = make_defender(session)
        post = make_post(session, text="Fictional threat")
        make_match(session, post=post, defender=defender)
        return make_alert(session, defender=defender, posts=[post], **alert).id


def test_escalation_is_shown_on_the_page_and_in_the_api(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    escalated = seed(runtime, severity="critical", escalated_at=ESCALATED_AT)
    quiet = seed(runtime, severity="critical")
    login(officer)
    assert "not acknowledged in time" in client.get(f"/alerts/{escalated}").text
    assert "not acknowledged in time" not in client.get(f"/alerts/{quiet}").text
    headers = {"Authorization": f"Bearer {officer.token}"}
    items = client.get("/api/v1/alerts", headers=headers).json()["items"]
    by_id = {item["id"]: item["escalated_at"] for item in items}
    assert by_id == {escalated: "2026-05-20T11:40:00Z", quiet: None}
