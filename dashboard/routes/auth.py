"""Logging in and out of the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from dashboard.deps import (
    SESSION_STAMP_KEY,
    SESSION_USER_KEY,
    CurrentUser,
    RuntimeDep,
    SessionDep,
    client_ip,
    session_stamp,
)
from dashboard.security import check_csrf, csrf_token
from dashboard.templating import render
from monitor.audit.service import record_event
from monitor.models import utcnow
from monitor.user.service import authenticate, end_sessions

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def safe_next(value: str | None) -> str:
    """A local path to go to after login; anything else (other hosts, schemes) becomes /."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


@router.get("/login")
def login_form(request: Request, next_path: Annotated[str, Query(alias="next")] = "/") -> Response:
    """The login page."""
    return render(request, "login.html", {"next": safe_next(next_path)})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Check the password (throttled per username and address), start the session, audit."""
    ip = client_ip(request)
    throttle = request.app.state.login_throttle
    wait = throttle.retry_after(username, ip)
    if wait > 0:
        record_event(
            session, actor=None, action="login.throttled", detail={"username": username[:80]}, ip=ip
        )
        message = f"Too many failed attempts. Try again in {int(wait) + 1} seconds."
        return render(
            request, "login.html", {"error": message, "next": safe_next(next_path)}, status_code=429
        )
    user = authenticate(session, username=username, password=password, now=utcnow())
    if user is None:
        throttle.failure(username, ip)
        record_event(
            session, actor=None, action="login.failure", detail={"username": username[:80]}, ip=ip
        )
        context = {
            "error": "Wrong username or password.",
            "next": safe_next(next_path),
            "username": username,
        }
        return render(request, "login.html", context, status_code=401)
    throttle.success(username, ip)
    record_event(
        session, actor=user, action="login.success", target_type="user", target_id=user.id, ip=ip
    )
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_STAMP_KEY] = session_stamp(user, runtime.keys.session)
    csrf_token(request)
    return RedirectResponse(safe_next(next_path), status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """End the session (POST with CSRF, so another site cannot log an officer out)."""
    record_event(
        session,
        actor=user,
        action="logout",
        target_type="user",
        target_id=user.id,
        ip=client_ip(request),
    )
    end_sessions(session, user=user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
