"""Case pages: the case list, one case with its alerts, opening a case from an alert, export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dashboard.deps import CurrentUser, OfficerUser, RuntimeDep, SessionDep, client_ip
from dashboard.routes.case_api import zip_response
from dashboard.security import check_csrf
from dashboard.templating import render
from monitor.case.bundle import export_case
from monitor.case.schemas import MAX_TITLE
from monitor.case.service import MAX_LIST, add_alerts_to_case, get_case, list_cases, open_case
from monitor.models import utcnow
from monitor.user.service import has_role

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/cases")
def cases_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Case files, newest first."""
    cases = list_cases(session, limit=MAX_LIST)
    return render(request, "cases.html", {"user": user, "cases": cases, "limit": MAX_LIST})


@router.post("/cases")
def open_case_page(
    request: Request,
    session: SessionDep,
    user: OfficerUser,
    alert_id: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=MAX_TITLE * 2)] = "",
) -> Response:
    """Open a case from the alert page's form, then show it."""
    case = open_case(
        session,
        title=title,
        alert_ids=[alert_id],
        user=user,
        now=utcnow(),
        ip=client_ip(request),
    )
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/cases/{case_id}")
def case_page(request: Request, session: SessionDep, user: CurrentUser, case_id: int) -> Response:
    """One case: its alerts and the evidence export link."""
    case = get_case(session, case_id)
    return render(
        request, "case.html", {"user": user, "case": case, "officer": has_role(user, "officer")}
    )


@router.post("/cases/add")
def add_alert_page(
    request: Request,
    session: SessionDep,
    user: OfficerUser,
    case_id: Annotated[int, Form()],
    alert_id: Annotated[int, Form()],
) -> Response:
    """Add the alert page's alert to the open case picked there, then show the case."""
    add_alerts_to_case(
        session,
        case_id=case_id,
        alert_ids=[alert_id],
        user=user,
        now=utcnow(),
        ip=client_ip(request),
    )
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}/export")
def export_case_page(
    request: Request, session: SessionDep, runtime: RuntimeDep, user: OfficerUser, case_id: int
) -> Response:
    """Download the case's evidence bundle (audited)."""
    bundle = export_case(
        session, case_id=case_id, user=user, keys=runtime.keys, now=utcnow(), ip=client_ip(request)
    )
    return zip_response(bundle)
