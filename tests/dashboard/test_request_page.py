"""The public /request form: no login, CSRF, consent required, stored encrypted."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from monitor.db import session_scope
from monitor.models import MonitoringRequest
from monitor.request.service import read_contact
from monitor.runtime import Runtime

FORM = {
    "full_name": "Гульнара Придуманная",
    "contact_email": "gulnara@example.org",
    "handles": "@gulnara_fictional",
    "message": "Fictional: people are sharing my address.",
    "consent": "yes",
}


def stored(runtime: Runtime) -> list[MonitoringRequest]:
    with session_scope(runtime.session_factory) as session:
        return list(session.scalars(select(MonitoringRequest)))


def test_form_is_public(client: TestClient) -> None:
    page = client.get("/request")
    assert page.status_code == 200
    assert 'type="checkbox" name="consent"' in page.text and 'name="csrf_token"' in page.text


def test_consent_is_required(
    client: TestClient, csrf_of: Callable[[str], str], runtime: Runtime
) -> None:
    token = csrf_of(client.get("/request").text)
    form = {k: v for k, v in FORM.items() if k != "consent"} | {"csrf_token": token}
    response = client.post("/request", data=form)
    assert response.status_code == 400
    assert "explicit consent" in response.text
    assert 'value="Гульнара Придуманная"' in response.text  # what they typed is kept
    assert stored(runtime) == []


def test_bad_email_is_named(
    client: TestClient, csrf_of: Callable[[str], str], runtime: Runtime
) -> None:
    token = csrf_of(client.get("/request").text)
    response = client.post("/request", data=FORM | {"contact_email": "x", "csrf_token": token})
    assert response.status_code == 400 and "e-mail address" in response.text
    assert stored(runtime) == []


def test_valid_request_is_stored_encrypted(
    client: TestClient, csrf_of: Callable[[str], str], runtime: Runtime
) -> None:
    token = csrf_of(client.get("/request").text)
    response = client.post("/request", data=FORM | {"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/request/thanks"
    assert "Thank you" in client.get("/request/thanks").text
    (row,) = stored(runtime)
    assert row.full_name == FORM["full_name"] and row.consent_at is not None
    assert b"gulnara@example.org" not in row.contact_email_ciphertext
    assert read_contact(row, keys=runtime.keys) == (FORM["contact_email"], FORM["message"])


def test_request_needs_csrf(client: TestClient, runtime: Runtime) -> None:
    assert client.post("/request", data=FORM).status_code == 403
    assert stored(runtime) == []


def test_flooding_is_throttled(
    app: FastAPI, client: TestClient, csrf_of: Callable[[str], str], runtime: Runtime
) -> None:
    app.state.request_throttle.clock = lambda: 1000.0  # time stands still
    token = csrf_of(client.get("/request").text)
    codes = [
        client.post("/request", data=FORM | {"csrf_token": token}).status_code for _ in range(7)
    ]
    assert codes == [303] * 6 + [429]
    assert len(stored(runtime)) == 6
