"""Queueing alert notifications: who is told, and when an alert is worth telling again.

An open alert is notified when its severity reaches KALKAN_NOTIFY_MIN_SEVERITY, and again
each time it rises above the severity last notified (`alerts.notified_severity`): one row
per recipient, written in the same transaction that raises `notified_severity`.

Recipients: the defender's assigned officer when they are active and have an e-mail
address, otherwise every active officer and admin with one. Escalation
(`monitor.notify.escalation`) is what widens the circle when nobody acts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.alert.rules import SEVERITY_RANK
from monitor.models import Alert, Notification, User
from monitor.notify import repository

logger = logging.getLogger(__name__)

BATCH = 200


def severities_from(minimum: str) -> list[str]:
    """Every severity at least as grave as `minimum`."""
    return [s for s, rank in SEVERITY_RANK.items() if rank >= SEVERITY_RANK[minimum]]


def alert_recipients(session: Session, alert: Alert) -> list[User]:
    """The assigned officer (if they can be reached), otherwise every officer and admin."""
    if alert.defender_id is not None:
        officer = repository.assigned_officer(session, alert.defender_id)
        reachable = officer is not None and officer.is_active and bool(officer.email)
        if officer is not None and reachable and officer.role in repository.ACTING_ROLES:
            return [officer]
    return repository.acting_users(session)


def add_notifications(
    session: Session,
    *,
    alert: Alert,
    kind: str,
    previous: str | None,
    recipients: Iterable[User],
    now: datetime,
) -> int:
    """One pending outbox row per recipient, due now; returns how many were added."""
    count = 0
    for user in recipients:
        session.add(
            Notification(
                alert_id=alert.id,
                user_id=user.id,
                kind=kind,
                severity=alert.severity,
                previous_severity=previous,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        count += 1
    session.flush()
    return count


def queue_alert_notifications(session: Session, *, min_severity: str, now: datetime) -> int:
    """Queue notifications for open alerts above their last notified severity; returns rows."""
    queued = 0
    for alert in repository.alerts_to_notify(
        session, severities=severities_from(min_severity), limit=BATCH
    ):
        previous = alert.notified_severity
        if previous is not None and SEVERITY_RANK[previous] >= SEVERITY_RANK[alert.severity]:
            continue
        recipients = alert_recipients(session, alert)
        if not recipients:
            logger.warning(
                "alert %d: no active officer or admin has an e-mail address; nobody is mailed",
                alert.id,
            )
        queued += add_notifications(
            session, alert=alert, kind="alert", previous=previous, recipients=recipients, now=now
        )
        alert.notified_severity = alert.severity
    session.flush()
    return queued
