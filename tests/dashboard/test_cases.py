"""Case files over `/api/v1/cases` (bearer tokens) and the case pages (session + CSRF)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from builders import Credentials, make_alert, make_defender, make_post
from fastapi.testclient import TestClient
from sqlalchemy import select

from monitor.case.verify import verify_bundle
from monitor.db import session_scope
from monitor.models import AuditEvent, Case
from monitor.runtime import Runtime

Login = Callable[[Credentials], str]
CASE_FIELDS = {"id", "title", "status", "defender", "alert_ids", "created_by", "created_at"}


def bearer(account: Credentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {account.token}"}


def seed_alerts(runtime: Runtime, count: int = 2) -> list[int]:
    with session_scope(runtime.session_factory) as session:
        defender = make_defender(session, slug="saule", display_name="Сауле Вымышленная")
        return [
            make_alert(
                session,
                defender=defender,
                posts=[make_post(session, text=f"Сауле Вымышленная, угроза {i}")],
                title=f"Threats {i}",
            ).id
            for i in range(count)
        ]


def audit_actions(runtime: Runtime) -> list[tuple[str, int | None, str | None]]:
    with session_scope(runtime.session_factory) as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.target_id).order_by(
                AuditEvent.id
            )
        )
        return [tuple(row) for row in rows if row[0].startswith("case.")]


def test_open_get_and_list_a_case(
    client: TestClient, officer: Credentials, runtime: Runtime
) -> None:
    ids = seed_alerts(runtime)
    response = client.post(
        "/api/v1/cases",
        json={"title": "Threats before the march", "alert_ids": ids[::-1]},
        headers=bearer(officer),
    )
    assert response.status_code == 201, response.text
    case = response.json()
    assert set(case) >= CASE_FIELDS
    assert case["alert_ids"] == ids and case["created_by"] == officer.username
    assert case["status"] == "open" and case["defender"] == "saule"
    fetched = client.get(f"/api/v1/cases/{case['id']}", headers=bearer(officer)).json()
    assert [a["case_id"] for a in fetched["alerts"]] == [case["id"], case["id"]]
    listed = client.get("/api/v1/cases", headers=bearer(officer)).json()["items"]
    assert [c["id"] for c in listed] == [case["id"]]
    alerts = client.get("/api/v1/alerts", headers=bearer(officer)).json()["items"]
    assert {a["case_id"] for a in alerts} == {case["id"]}
    assert audit_actions(runtime) == [("case.open", officer.user_id, str(case["id"]))]
    missing = client.get("/api/v1/cases/999999", headers=bearer(officer))
    assert missing.status_code == 404 and missing.json() == {"detail": "case 999999 does not exist"}


def test_unknown_alert_ids_are_422_and_nothing_is_created(
    client: TestClient, officer: Credentials, runtime: Runtime
) -> None:
    (known,) = seed_alerts(runtime, 1)
    response = client.post(
        "/api/v1/cases", json={"title": "t", "alert_ids": [known, 777777]}, headers=bearer(officer)
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "unknown alert ids: 777777; nothing was changed"}
    with session_scope(runtime.session_factory) as session:
        assert session.scalars(select(Case)).all() == []
    for body in (
        {"alert_ids": [known]},
        {"title": "t", "alert_ids": []},
        {"title": "", "alert_ids": [known]},
    ):
        assert client.post("/api/v1/cases", json=body, headers=bearer(officer)).status_code == 422


def test_alerts_in_another_case_are_409_unless_moved(
    client: TestClient, officer: Credentials, runtime: Runtime
) -> None:
    first, second = seed_alerts(runtime)
    old = client.post(
        "/api/v1/cases", json={"title": "old", "alert_ids": [first]}, headers=bearer(officer)
    ).json()
    body = {"title": "new", "alert_ids": [first, second]}
    refused = client.post("/api/v1/cases", json=body, headers=bearer(officer))
    assert refused.status_code == 409
    assert f"alert {first} is in case {old['id']}" in refused.json()["detail"]
    moved = client.post("/api/v1/cases", json=body | {"move": True}, headers=bearer(officer))
    assert moved.status_code == 201 and moved.json()["alert_ids"] == [first, second]
    assert (
        client.get(f"/api/v1/cases/{old['id']}", headers=bearer(officer)).json()["alert_ids"] == []
    )
    assert ("case.move_alert", officer.user_id, str(first)) in audit_actions(runtime)


def test_add_alerts_to_a_case(client: TestClient, officer: Credentials, runtime: Runtime) -> None:
    first, second = seed_alerts(runtime)
    case = client.post(
        "/api/v1/cases", json={"title": "t", "alert_ids": [first]}, headers=bearer(officer)
    ).json()
    grown = client.post(
        f"/api/v1/cases/{case['id']}/alerts", json={"alert_ids": [second]}, headers=bearer(officer)
    )
    assert grown.status_code == 200 and grown.json()["alert_ids"] == [first, second]


def test_tokens_and_roles(
    client: TestClient, make_account: Callable[..., Credentials], runtime: Runtime
) -> None:
    (alert_id,) = seed_alerts(runtime, 1)
    viewer = make_account(role="viewer")
    body = {"title": "t", "alert_ids": [alert_id]}
    assert client.post("/api/v1/cases", json=body).status_code == 401
    assert client.post("/api/v1/cases", json=body, headers=bearer(viewer)).status_code == 403
    officer = make_account()
    case = client.post("/api/v1/cases", json=body, headers=bearer(officer)).json()
    assert client.get(f"/api/v1/cases/{case['id']}", headers=bearer(viewer)).status_code == 200
    export = f"/api/v1/cases/{case['id']}/export"
    assert client.get(export, headers=bearer(viewer)).status_code == 403
    assert client.get(export).status_code == 401


def test_export_over_the_api_verifies(
    client: TestClient, officer: Credentials, runtime: Runtime, tmp_path: Path
) -> None:
    ids = seed_alerts(runtime)
    case = client.post(
        "/api/v1/cases", json={"title": "t", "alert_ids": ids}, headers=bearer(officer)
    ).json()
    response = client.get(f"/api/v1/cases/{case['id']}/export", headers=bearer(officer))
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert re.fullmatch(
        rf'attachment; filename="kalkan-case-{case["id"]}-\d{{8}}T\d{{6}}Z\.zip"',
        response.headers["content-disposition"],
    )
    path = tmp_path / "bundle.zip"
    path.write_bytes(response.content)
    verdict = verify_bundle(path, key=runtime.keys.evidence_hmac)
    assert verdict.intact and verdict.signature == "valid" and verdict.files == 5
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert json.loads(archive.read("case.json"))["case"]["alert_ids"] == ids
    assert ("case.export", officer.user_id, str(case["id"])) in audit_actions(runtime)
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/export"} <= set(
        paths
    )


def test_case_from_the_alert_page(
    client: TestClient, officer: Credentials, login: Login, runtime: Runtime
) -> None:
    first, second = seed_alerts(runtime)
    csrf = login(officer)
    page = client.get(f"/alerts/{first}").text
    assert 'action="/cases"' in page and 'value="Threats 0"' in page
    form = {"csrf_token": csrf, "alert_id": str(first), "title": "From the page"}
    assert client.post("/cases", data=form | {"csrf_token": "wrong"}).status_code == 403
    response = client.post("/cases", data=form)
    assert response.status_code == 303
    case_url = response.headers["location"]
    case_id = int(case_url.rsplit("/", 1)[1])
    case_page = client.get(case_url)
    assert "script-src 'self'" in case_page.headers["content-security-policy"]
    assert "From the page" in case_page.text and f'href="/alerts/{first}"' in case_page.text
    assert f'href="/cases/{case_id}/export"' in case_page.text
    assert f'href="/cases/{case_id}"' in client.get(f"/alerts/{first}").text
    picker = client.get(f"/alerts/{second}").text
    assert 'action="/cases/add"' in picker and f'<option value="{case_id}">' in picker
    added = client.post(
        "/cases/add", data={"csrf_token": csrf, "case_id": str(case_id), "alert_id": str(second)}
    )
    assert added.status_code == 303
    assert f'href="/alerts/{second}"' in client.get(case_url).text
    export = client.get(f"/cases/{case_id}/export")
    assert export.status_code == 200 and export.content.startswith(b"PK")
    assert f'href="/cases/{case_id}"' in client.get("/cases").text
    assert [a for a, _, _ in audit_actions(runtime)] == [
        "case.open",
        "case.add_alerts",
        "case.export",
    ]


def test_viewers_see_cases_but_cannot_change_or_export(
    client: TestClient,
    make_account: Callable[..., Credentials],
    login: Login,
    runtime: Runtime,
) -> None:
    (alert_id,) = seed_alerts(runtime, 1)
    officer = make_account()
    case = client.post(
        "/api/v1/cases", json={"title": "t", "alert_ids": [alert_id]}, headers=bearer(officer)
    ).json()
    csrf = login(make_account(role="viewer"))
    assert 'action="/cases"' not in client.get(f"/alerts/{alert_id}").text
    page = client.get(f"/cases/{case['id']}").text
    assert "/export" not in page
    assert client.get(f"/cases/{case['id']}/export").status_code == 403
    form = {"csrf_token": csrf, "alert_id": str(alert_id), "title": "x"}
    assert client.post("/cases", data=form).status_code == 403
