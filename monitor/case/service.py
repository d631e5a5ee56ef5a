"""Opening case files from alerts, adding alerts to them, and reading them back.

An alert belongs to at most one case (`alerts.case_id`). Putting an alert that is already
in another case into a case is refused with 409 unless the caller asks to `move` it: evidence
should not change case silently, and a move is written to the audit trail with both case ids.
Unknown alert ids refuse the whole request (422) so that nothing is half-done.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.alert.service import to_read
from monitor.audit.service import record_event
from monitor.case import repository
from monitor.case.schemas import MAX_ALERTS_PER_REQUEST, MAX_TITLE, CaseDetail, CaseRead
from monitor.errors import Conflict, InputError, NotFound, Unprocessable
from monitor.models import Alert, Case, User
from monitor.user.service import require_role

CASE_STATUSES = ("open", "closed")
MAX_LIST = 200


def open_case(
    session: Session,
    *,
    title: str,
    alert_ids: Sequence[int],
    user: User,
    now: datetime,
    move: bool = False,
    ip: str | None = None,
) -> CaseDetail:
    """Open a case holding these alerts (audited); nothing is created when any id is wrong."""
    require_role(user, "officer")
    clean_title = _clean_title(title)
    alerts = _claimable(session, alert_ids, case_id=None, move=move)
    case = Case(title=clean_title, status="open", created_by_id=user.id, created_at=now)
    session.add(case)
    session.flush()
    record_event(
        session,
        actor=user,
        action="case.open",
        target_type="case",
        target_id=case.id,
        detail={"alert_ids": [alert.id for alert in alerts]},
        ip=ip,
        now=now,
    )
    _attach(session, case, alerts, user=user, now=now, ip=ip)
    return get_case(session, case.id)


def add_alerts_to_case(
    session: Session,
    *,
    case_id: int,
    alert_ids: Sequence[int],
    user: User,
    now: datetime,
    move: bool = False,
    ip: str | None = None,
) -> CaseDetail:
    """Add alerts to a case (audited); alerts already in it are left as they are."""
    require_role(user, "officer")
    case = _case(session, case_id)
    alerts = _claimable(session, alert_ids, case_id=case.id, move=move)
    added = [alert for alert in alerts if alert.case_id != case.id]
    if added:
        record_event(
            session,
            actor=user,
            action="case.add_alerts",
            target_type="case",
            target_id=case.id,
            detail={"alert_ids": [alert.id for alert in added]},
            ip=ip,
            now=now,
        )
        _attach(session, case, added, user=user, now=now, ip=ip)
    return get_case(session, case.id)


def get_case(session: Session, case_id: int) -> CaseDetail:
    """The case with its alerts; NotFound when there is no such case."""
    row = repository.get_case_row(session, case_id)
    if row is None:
        raise NotFound(f"case {case_id} does not exist")
    case, creator, slug, name = row
    rows = repository.case_alerts(session, case_id)
    alerts = [to_read(alert, alert_slug, source) for alert, alert_slug, source in rows]
    return CaseDetail(
        id=case.id,
        title=case.title,
        status=case.status,
        defender=slug,
        defender_name=name,
        alert_ids=[alert.id for alert in alerts],
        created_by=creator,
        created_at=case.created_at,
        alerts=alerts,
    )


def list_cases(session: Session, *, status: str | None = None, limit: int = 50) -> list[CaseRead]:
    """Cases, newest first, each with its alert ids."""
    if status is not None and status not in CASE_STATUSES:
        raise InputError(f"unknown status {status!r}; choose one of {', '.join(CASE_STATUSES)}")
    if not 1 <= limit <= MAX_LIST:
        raise InputError(f"limit must be between 1 and {MAX_LIST}")
    rows = repository.list_case_rows(session, status=status, limit=limit)
    alert_ids = repository.alert_ids_by_case(session, [row[0].id for row in rows])
    return [
        CaseRead(
            id=case.id,
            title=case.title,
            status=case.status,
            defender=slug,
            alert_ids=alert_ids.get(case.id, []),
            created_by=creator,
            created_at=case.created_at,
        )
        for case, creator, slug, _ in rows
    ]


def _case(session: Session, case_id: int) -> Case:
    row = repository.get_case_row(session, case_id)
    if row is None:
        raise NotFound(f"case {case_id} does not exist")
    case: Case = row[0]
    return case


def _clean_title(title: str) -> str:
    clean = " ".join(title.split())
    if not clean or len(clean) > MAX_TITLE:
        raise InputError(f"a case title needs 1 to {MAX_TITLE} characters")
    return clean


def _claimable(
    session: Session, alert_ids: Sequence[int], *, case_id: int | None, move: bool
) -> list[Alert]:
    """The alerts, locked; 422 naming unknown ids, 409 naming alerts held by another case."""
    wanted = sorted(set(alert_ids))
    if not wanted or len(wanted) > MAX_ALERTS_PER_REQUEST:
        raise InputError(f"name 1 to {MAX_ALERTS_PER_REQUEST} alerts")
    alerts = repository.lock_alerts(session, wanted)
    unknown = sorted(set(wanted) - {alert.id for alert in alerts})
    if unknown:
        listed = ", ".join(str(alert_id) for alert_id in unknown)
        raise Unprocessable(f"unknown alert ids: {listed}; nothing was changed")
    taken = [a for a in alerts if a.case_id is not None and a.case_id != case_id]
    if taken and not move:
        listed = ", ".join(f"alert {a.id} is in case {a.case_id}" for a in taken)
        raise Conflict(f'{listed}; ask to move them ("move": true) or leave them out')
    return alerts


def _attach(
    session: Session,
    case: Case,
    alerts: Sequence[Alert],
    *,
    user: User,
    now: datetime,
    ip: str | None,
) -> None:
    """Point the alerts at the case; moves are audited; both cases' defender is refreshed."""
    left: set[int] = set()
    for alert in alerts:
        if alert.case_id == case.id:
            continue
        if alert.case_id is not None:
            left.add(alert.case_id)
            record_event(
                session,
                actor=user,
                action="case.move_alert",
                target_type="alert",
                target_id=alert.id,
                detail={"from_case": alert.case_id, "to_case": case.id},
                ip=ip,
                now=now,
            )
        alert.case_id = case.id
    session.flush()
    for old_id in sorted(left):
        _refresh_defender(session, _case(session, old_id))
    _refresh_defender(session, case)


def _refresh_defender(session: Session, case: Case) -> None:
    """A case is about a defender when all its alerts are; otherwise about no single one."""
    defenders = repository.case_defender_ids(session, case.id)
    case.defender_id = next(iter(defenders)) if len(defenders) == 1 else None
    session.flush()
