"""The alert feed, alert detail and source health pages, and acknowledging from the page."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dashboard.deps import CurrentUser, OfficerUser, RuntimeDep, SessionDep, client_ip
from dashboard.security import check_csrf
from dashboard.templating import render
from monitor.alert.service import acknowledge_alert, get_alert, list_alerts
from monitor.case.service import list_cases
from monitor.models import ALERT_STATUSES, SEVERITIES, utcnow
from monitor.notify.status import mail_status
from monitor.source.health import assess_sources, by_attention
from monitor.user.service import has_role

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

PAGE_SIZE = 25
#: Open cases offered in the alert page's "add to case" picker, newest first.
OPEN_CASES_SHOWN = 50


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    """A filter value when it is one of the allowed ones (unknown values mean no filter)."""
    return value if value in allowed else None


@router.get("/")
def feed(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    status: str | None = None,
    severity: str | None = None,
    defender: str | None = None,
    cursor: str | None = None,
) -> Response:
    """The alert feed, newest first, filtered by status/severity/defender, in keyset pages."""
    status, severity = _choice(status, ALERT_STATUSES), _choice(severity, SEVERITIES)
    defender = defender or None
    items, next_cursor = list_alerts(
        session,
        status=status,
        severity=severity,
        defender=defender,
        limit=PAGE_SIZE,
        cursor=cursor or None,
    )
    chosen = {"status": status, "severity": severity, "defender": defender}
    filters = {k: v for k, v in chosen.items() if v}
    next_url = "/?" + urlencode(filters | {"cursor": next_cursor}) if next_cursor else None
    context = {
        "user": user,
        "items": items,
        "status": status,
        "severity": severity,
        "defender": defender,
        "statuses": ALERT_STATUSES,
        "next_url": next_url,
        "first_url": "/?" + urlencode(filters) if cursor else None,
    }
    return render(request, "feed.html", context)


@router.get("/alerts/{alert_id}")
def alert_detail(
    request: Request, session: SessionDep, user: CurrentUser, alert_id: int
) -> Response:
    """One alert with its grouped posts, scores, flagged labels and highlighted matches."""
    detail = get_alert(session, alert_id)
    officer = has_role(user, "officer")
    open_cases = (
        list_cases(session, status="open", limit=OPEN_CASES_SHOWN)
        if officer and detail.alert.case_id is None
        else []
    )
    context = {"user": user, "detail": detail, "officer": officer, "open_cases": open_cases}
    return render(request, "alert.html", context)


@router.post("/alerts/{alert_id}/ack")
def acknowledge(
    request: Request, session: SessionDep, user: OfficerUser, alert_id: int
) -> Response:
    """Acknowledge the alert, then show it again."""
    acknowledge_alert(session, alert_id=alert_id, user=user, now=utcnow(), ip=client_ip(request))
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)


@router.get("/sources")
def sources_page(
    request: Request, session: SessionDep, runtime: RuntimeDep, user: CurrentUser
) -> Response:
    """Every enabled source's health, troubled ones first: status, errors, rate vs usual;
    and whether outgoing mail (notifications, digests) is flowing."""
    now = utcnow()
    health = sorted(assess_sources(session, now=now), key=by_attention)
    troubled = sum(1 for h in health if h.status in ("failing", "silent"))
    mail = mail_status(session, configured=runtime.settings.mail_enabled)
    context = {"user": user, "sources": health, "troubled": troubled, "now": now, "mail": mail}
    return render(request, "sources.html", context)
