"""`/api/v1` with bearer tokens, `/healthz` and the OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from builders import NOW, Credentials, make_alert, make_defender
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from dashboard.app import create_app
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import ApiToken
from monitor.runtime import Runtime, build_runtime
from monitor.user.service import revoke_api_token

CONTRACT_FIELDS = {
    "id",
    "defender",
    "category",
    "severity",
    "status",
    "post_count",
    "case_id",
    "title",
    "opened_at",
    "last_post_at",
    "acknowledged_at",
    "escalated_at",
}


def bearer(account: Credentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {account.token}"}


def seed(runtime: Runtime, count: int, **fields: object) -> list[int]:
    with session_scope(runtime.session_factory) as session:
        defender = make_defender(session, slug="aigul")
        return [
            make_alert(
                session, defender=defender, last_post_at=NOW - timedelta(minutes=i), **fields
            ).id
            for i in range(count)
        ]


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic dXNlcjpwdw==", "Bearer "])
def test_missing_or_invalid_token_is_401(
    client: TestClient, officer: Credentials, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/alerts", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] and response.headers["www-authenticate"] == "Bearer"


def test_revoked_token_is_401(client: TestClient, officer: Credentials, runtime: Runtime) -> None:
    assert client.get("/api/v1/alerts", headers=bearer(officer)).status_code == 200
    with session_scope(runtime.session_factory) as session:
        token = session.scalars(select(ApiToken).where(ApiToken.user_id == officer.user_id)).one()
        revoke_api_token(session, token=token, now=NOW)
    assert client.get("/api/v1/alerts", headers=bearer(officer)).status_code == 401


def test_session_cookie_does_not_open_the_api(
    client: TestClient, officer: Credentials, login: Callable[[Credentials], str]
) -> None:
    login(officer)
    assert client.get("/api/v1/alerts").status_code == 401


def test_list_shape_and_pages(client: TestClient, officer: Credentials, runtime: Runtime) -> None:
    ids = seed(runtime, 5)
    body = client.get("/api/v1/alerts?limit=2", headers=bearer(officer)).json()
    assert set(body) == {"items", "next"}
    assert set(body["items"][0]) == CONTRACT_FIELDS
    assert body["items"][0]["defender"] == "aigul"
    seen = [item["id"] for item in body["items"]]
    while body["next"]:
        body = client.get(
            "/api/v1/alerts", params={"limit": 2, "cursor": body["next"]}, headers=bearer(officer)
        ).json()
        seen += [item["id"] for item in body["items"]]
    assert seen == ids


def test_filters_and_bad_input(client: TestClient, officer: Credentials, runtime: Runtime) -> None:
    seed(runtime, 2, severity="critical")
    items = client.get(
        "/api/v1/alerts?severity=critical&defender=aigul", headers=bearer(officer)
    ).json()["items"]
    assert len(items) == 2
    assert client.get(
        "/api/v1/alerts?status=open&severity=low", headers=bearer(officer)
    ).json() == {"items": [], "next": None}
    bad = client.get("/api/v1/alerts?severity=apocalyptic", headers=bearer(officer))
    assert bad.status_code == 400 and "severity" in bad.json()["detail"]
    assert client.get("/api/v1/alerts?cursor=zz", headers=bearer(officer)).status_code == 400


def test_get_and_acknowledge(client: TestClient, officer: Credentials, runtime: Runtime) -> None:
    (alert_id,) = seed(runtime, 1)
    detail = client.get(f"/api/v1/alerts/{alert_id}", headers=bearer(officer)).json()
    assert detail["alert"]["id"] == alert_id and detail["posts"] == []
    first = client.post(f"/api/v1/alerts/{alert_id}/ack", headers=bearer(officer))
    again = client.post(f"/api/v1/alerts/{alert_id}/ack", headers=bearer(officer))
    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "acknowledged"
    assert first.json()["acknowledged_at"] == again.json()["acknowledged_at"]
    missing = client.post("/api/v1/alerts/424242/ack", headers=bearer(officer))
    assert missing.status_code == 404 and missing.json() == {
        "detail": "alert 424242 does not exist"
    }


def test_viewer_token_cannot_acknowledge(
    client: TestClient, make_account: Callable[..., Credentials], runtime: Runtime
) -> None:
    (alert_id,) = seed(runtime, 1)
    viewer = make_account(role="viewer")
    assert client.get("/api/v1/alerts", headers=bearer(viewer)).status_code == 200
    assert client.post(f"/api/v1/alerts/{alert_id}/ack", headers=bearer(viewer)).status_code == 403


def test_openapi_describes_bearer_and_hides_pages(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "/api/v1/alerts" in schema["paths"] and "/healthz" in schema["paths"]
    assert not {"/", "/login", "/request", "/alerts/{alert_id}"} & set(schema["paths"])


def test_healthz_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_when_database_is_gone(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("gone")
    settings = Settings(
        env="test",
        data_dir=folder,
        # Nothing listens on port 1: the connection is refused at once.
        database_url="postgresql+psycopg://kalkan@127.0.0.1:1/kalkan?connect_timeout=2",
    )
    runtime = build_runtime(settings)
    app: FastAPI = create_app(settings, runtime=runtime, start_scheduler=False)
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_lifespan_starts_and_stops_the_scheduler(settings: Settings, runtime: Runtime) -> None:
    app = create_app(settings, runtime=runtime, start_scheduler=True)
    with TestClient(app) as client:
        scheduler = app.state.scheduler
        assert scheduler is not None and "pipeline" in scheduler.job_ids()
        assert client.get("/healthz").status_code == 200
    assert not scheduler._scheduler.running


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_scheduler_off_when_settings_disable_it(settings: Settings, runtime: Runtime) -> None:
    app = create_app(settings.model_copy(update={"scheduler_enabled": False}), runtime=runtime)
    with TestClient(app):
        assert app.state.scheduler is None
