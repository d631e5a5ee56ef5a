"""The JSON API for programs (`/api/v1`), authenticated with bearer tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from dashboard.deps import ApiOfficer, ApiUser, SessionDep, client_ip
from monitor.alert.schemas import AlertDetail, AlertPage, AlertRead
from monitor.alert.service import MAX_PAGE, acknowledge_alert, get_alert, list_alerts
from monitor.models import utcnow

router = APIRouter(prefix="/api/v1", tags=["alerts"])


@router.get("/alerts", response_model=AlertPage)
def list_alerts_api(
    session: SessionDep,
    user: ApiUser,
    status: str | None = None,
    severity: str | None = None,
    defender: Annotated[str | None, Query(description="Defender slug")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(description="`next` from the previous page")] = None,
) -> AlertPage:
    """Alerts, newest first; pass `next` back as `cursor` for the following page."""
    items, next_cursor = list_alerts(
        session, status=status, severity=severity, defender=defender, limit=limit, cursor=cursor
    )
    return AlertPage(items=[item.alert for item in items], next=next_cursor)


@router.get("/alerts/{alert_id}", response_model=AlertDetail)
def get_alert_api(session: SessionDep, user: ApiUser, alert_id: int) -> AlertDetail:
    """One alert with its posts, their scores and matches."""
    return get_alert(session, alert_id)


@router.post("/alerts/{alert_id}/ack", response_model=AlertRead)
def acknowledge_alert_api(
    request: Request, session: SessionDep, user: ApiOfficer, alert_id: int
) -> AlertRead:
    """Acknowledge an alert (idempotent); needs the officer role."""
    return acknowledge_alert(
        session, alert_id=alert_id, user=user, now=utcnow(), ip=client_ip(request)
    )
