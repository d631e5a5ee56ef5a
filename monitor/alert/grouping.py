"""Raising alerts Alertmanager-style: one live alert per (defender, category) group.

A finding joins the group's live alert while it is within the grouping window; an older
live alert is closed and a new one opened. A higher severity updates the alert and, if it
had been acknowledged, reopens it so the officer is told again. The database refuses a
second live alert per group (partial unique index), so a race cannot split a group.
`critical_at` notes when an alert became critical: its acknowledgement deadline runs from
there (see `monitor.notify.escalation`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.alert.rules import SEVERITY_RANK, Finding, max_severity
from monitor.models import Alert, AlertPost

LIVE_STATUSES = ("open", "acknowledged")

CATEGORY_TITLES = {
    "doxxing": "Contact details published",
    "threat": "Threats",
    "incitement": "Incitement against",
    "abuse": "Abuse",
    "surge": "Surge of mentions",
}


def group_key(defender_id: int, category: str) -> str:
    """The identity of an alert group."""
    return f"{defender_id}:{category}"


def _live_alert(session: Session, key: str) -> Alert | None:
    query = select(Alert).where(Alert.group_key == key, Alert.status.in_(LIVE_STATUSES))
    return session.scalars(query).one_or_none()


def record_finding(
    session: Session,
    *,
    finding: Finding,
    post_id: int,
    defender_name: str,
    now: datetime,
    window: timedelta,
) -> Alert:
    """Add the post to its group's live alert (or open one); idempotent per (alert, post)."""
    key = group_key(finding.defender_id, finding.category)
    alert = _live_alert(session, key)
    if alert is not None and alert.last_post_at < now - window:
        alert.status, alert.closed_at = "closed", now
        session.flush()
        alert = None
    if alert is None:
        alert = _open_alert(session, finding=finding, key=key, defender_name=defender_name, now=now)
    _attach_post(session, alert=alert, finding=finding, post_id=post_id, now=now)
    return alert


def _open_alert(
    session: Session, *, finding: Finding, key: str, defender_name: str, now: datetime
) -> Alert:
    title = f"{CATEGORY_TITLES.get(finding.category, finding.category)} — {defender_name}"
    alert = Alert(
        defender_id=finding.defender_id,
        category=finding.category,
        severity=finding.severity,
        status="open",
        group_key=key,
        title=title[:300],
        reason=finding.reason,
        post_count=0,
        opened_at=now,
        last_post_at=now,
        critical_at=now if finding.severity == "critical" else None,
    )
    session.add(alert)
    session.flush()
    return alert


def _attach_post(
    session: Session, *, alert: Alert, finding: Finding, post_id: int, now: datetime
) -> None:
    if session.get(AlertPost, (alert.id, post_id)) is not None:
        return
    session.add(
        AlertPost(
            alert_id=alert.id,
            post_id=post_id,
            severity=finding.severity,
            reason=finding.reason,
            added_at=now,
        )
    )
    alert.post_count += 1
    alert.last_post_at = max(alert.last_post_at, now)
    if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[alert.severity]:
        alert.severity = max_severity(alert.severity, finding.severity)
        alert.reason = finding.reason
        if alert.severity == "critical" and alert.critical_at is None:
            alert.critical_at = now
        if alert.status == "acknowledged":
            alert.status, alert.acknowledged_at = "open", None
    session.flush()
