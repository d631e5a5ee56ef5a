"""Logging in and out, the login throttle, pages needing a login, and CSRF."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from builders import Credentials
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from dashboard.app import create_app
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import AuditEvent
from monitor.runtime import Runtime
from monitor.user.service import ensure_user, get_user


def audit_actions(runtime: Runtime) -> list[tuple[str, int | None, dict[str, object]]]:
    with session_scope(runtime.session_factory) as session:
        query = select(AuditEvent).where(AuditEvent.action.like("login%")).order_by(AuditEvent.id)
        rows = session.scalars(query).all()
        return [(row.action, row.actor_id, row.detail) for row in rows]


def test_login_success_is_audited(
    client: TestClient, officer: Credentials, runtime: Runtime, csrf_of: Callable[[str], str]
) -> None:
    token = csrf_of(client.get("/login").text)
    form = {"username": officer.username, "password": officer.password, "csrf_token": token}
    response = client.post("/login", data=form | {"next": "/alerts/1"})
    assert response.status_code == 303 and response.headers["location"] == "/alerts/1"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/").status_code == 200
    assert audit_actions(runtime) == [("login.success", officer.user_id, {})]


def test_login_failure_is_audited_without_password(
    client: TestClient, officer: Credentials, runtime: Runtime, csrf_of: Callable[[str], str]
) -> None:
    token = csrf_of(client.get("/login").text)
    form = {"username": officer.username, "password": "wrong-secret-xyz", "csrf_token": token}
    response = client.post("/login", data=form)
    assert response.status_code == 401 and "Wrong username or password" in response.text
    assert client.get("/").status_code == 303
    ((action, actor, detail),) = audit_actions(runtime)
    assert (action, actor) == ("login.failure", None)
    assert "wrong-secret-xyz" not in repr(detail)


def test_login_redirect_stays_on_this_site(
    client: TestClient, officer: Credentials, csrf_of: Callable[[str], str]
) -> None:
    token = csrf_of(client.get("/login").text)
    form = {"username": officer.username, "password": officer.password, "csrf_token": token}
    response = client.post("/login", data=form | {"next": "//evil.example/"})
    assert response.headers["location"] == "/"


def test_throttle_blocks_after_repeated_failures(
    app: FastAPI, client: TestClient, officer: Credentials, csrf_of: Callable[[str], str]
) -> None:
    clock = [1000.0]
    app.state.login_throttle.clock = lambda: clock[0]
    token = csrf_of(client.get("/login").text)
    bad = {"username": officer.username, "password": "nope", "csrf_token": token}
    codes = [client.post("/login", data=bad).status_code for _ in range(7)]
    assert codes[:6] == [401] * 6 and codes[6] == 429
    good = bad | {"password": officer.password}
    assert client.post("/login", data=good).status_code == 429  # even the right password
    clock[0] += 3600
    assert client.post("/login", data=good).status_code == 303


@pytest.mark.parametrize("path", ["/", "/alerts/1", "/?severity=high"])
def test_pages_require_login(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2F")


def test_unsafe_requests_need_the_csrf_token(
    client: TestClient, officer: Credentials, login: Callable[[Credentials], str]
) -> None:
    form = {"username": officer.username, "password": officer.password}
    assert client.post("/login", data=form).status_code == 403
    assert client.post("/login", data=form | {"csrf_token": "forged"}).status_code == 403
    csrf = login(officer)
    assert client.post("/logout").status_code == 403
    assert client.post("/alerts/1/ack", data={"csrf_token": "x"}).status_code == 403
    assert client.get("/").status_code == 200  # still logged in
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/").status_code == 303


def test_inactive_user_loses_the_session(
    client: TestClient, officer: Credentials, runtime: Runtime, login: Callable[[Credentials], str]
) -> None:
    login(officer)
    with session_scope(runtime.session_factory) as session:
        user = get_user(session, officer.user_id)
        assert user is not None
        user.is_active = False
    assert client.get("/").status_code == 303


def test_password_change_ends_sessions(
    client: TestClient, officer: Credentials, runtime: Runtime, login: Callable[[Credentials], str]
) -> None:
    login(officer)
    assert client.get("/").status_code == 200
    with session_scope(runtime.session_factory) as session:
        ensure_user(
            session, username=officer.username, password="a new long password", role="officer"
        )
    assert client.get("/").status_code == 303


def test_logout_makes_a_copied_session_cookie_worthless(
    client: TestClient, app: FastAPI, officer: Credentials, login: Callable[[Credentials], str]
) -> None:
    csrf = login(officer)
    stolen = dict(client.cookies)
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    with TestClient(app, follow_redirects=False, cookies=stolen) as thief:
        response = thief.get("/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_cookie_is_secure_behind_https(
    settings: Settings, runtime: Runtime, officer: Credentials, csrf_of: Callable[[str], str]
) -> None:
    secure = settings.model_copy(update={"base_url": "https://kalkan.example"})
    app = create_app(secure, runtime=runtime, start_scheduler=False)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        token = csrf_of(client.get("/login").text)
        form = {"username": officer.username, "password": officer.password, "csrf_token": token}
        response = client.post("/login", data=form)
    assert response.status_code == 303 and "secure" in response.headers["set-cookie"].lower()
