"""`/api/v1/cases`: opening case files from alerts and exporting their evidence bundles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from dashboard.deps import ApiOfficer, ApiUser, RuntimeDep, SessionDep, client_ip
from monitor.case.bundle import Bundle, export_case
from monitor.case.schemas import CaseAlertsAdd, CaseCreate, CaseDetail, CaseRead
from monitor.case.service import MAX_LIST, add_alerts_to_case, get_case, list_cases, open_case
from monitor.models import utcnow

router = APIRouter(prefix="/api/v1", tags=["cases"])

ZIP_RESPONSE = {
    200: {
        "content": {"application/zip": {}},
        "description": "The evidence bundle; `manifest.json` lists every file with its "
        "SHA-256. Check it with `kalkan verify BUNDLE.zip`.",
    }
}


class CasePage(BaseModel):
    """Cases, newest first."""

    items: list[CaseRead]


def zip_response(bundle: Bundle) -> Response:
    """The bundle as a download (shared with the case page's export link)."""
    disposition = f'attachment; filename="{bundle.filename}"'
    return Response(
        bundle.data, media_type="application/zip", headers={"Content-Disposition": disposition}
    )


@router.post("/cases", response_model=CaseDetail, status_code=201)
def open_case_api(
    request: Request, session: SessionDep, user: ApiOfficer, body: CaseCreate
) -> CaseDetail:
    """Open a case from alerts. 422 for unknown alert ids; 409 for alerts in another case
    unless `move` is true (the move is audited). Nothing is created when the request fails."""
    return open_case(
        session,
        title=body.title,
        alert_ids=body.alert_ids,
        user=user,
        now=utcnow(),
        move=body.move,
        ip=client_ip(request),
    )


@router.get("/cases", response_model=CasePage)
def list_cases_api(
    session: SessionDep,
    user: ApiUser,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 50,
) -> CasePage:
    """Cases, newest first."""
    return CasePage(items=list_cases(session, status=status, limit=limit))


@router.get("/cases/{case_id}", response_model=CaseDetail)
def get_case_api(session: SessionDep, user: ApiUser, case_id: int) -> CaseDetail:
    """One case with its alerts."""
    return get_case(session, case_id)


@router.post("/cases/{case_id}/alerts", response_model=CaseDetail)
def add_alerts_api(
    request: Request, session: SessionDep, user: ApiOfficer, case_id: int, body: CaseAlertsAdd
) -> CaseDetail:
    """Add alerts to a case (same rules as opening one: 422 unknown ids, 409 unless `move`)."""
    return add_alerts_to_case(
        session,
        case_id=case_id,
        alert_ids=body.alert_ids,
        user=user,
        now=utcnow(),
        move=body.move,
        ip=client_ip(request),
    )


@router.get("/cases/{case_id}/export", response_class=Response, responses=ZIP_RESPONSE)
def export_case_api(
    request: Request, session: SessionDep, runtime: RuntimeDep, user: ApiOfficer, case_id: int
) -> Response:
    """The case's evidence bundle (ZIP); the export is audited. Needs the officer role."""
    bundle = export_case(
        session,
        case_id=case_id,
        user=user,
        keys=runtime.keys,
        now=utcnow(),
        ip=client_ip(request),
    )
    return zip_response(bundle)
