"""Threat-to-life escalation: a critical alert nobody acknowledged in time.

Every critical defender alert (a published contact detail, a threat naming an event or
venue, a confident threat from a high-reach account) may be a threat to life. Its deadline
runs from `alerts.critical_at`, when it became critical. Once the deadline has passed with
the alert still open (not acknowledged, not closed), the alert is escalated exactly once:
`escalated_at` is set, an `alert.escalate` audit event is written, and — when mail is
configured — every active officer and admin is queued an escalation e-mail, all in the one
transaction. Acknowledging the alert before the deadline stops it; so does closing it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from monitor.audit.service import record_event
from monitor.notify import repository
from monitor.notify.queue import add_notifications

logger = logging.getLogger(__name__)

BATCH = 100


def escalate_overdue(
    session: Session, *, deadline: timedelta, mail: bool, now: datetime
) -> list[int]:
    """Escalate every critical alert left unacknowledged past `deadline`; returns their ids."""
    escalated = []
    officers = repository.acting_users(session) if mail else []
    for alert in repository.overdue_critical(session, cutoff=now - deadline, limit=BATCH):
        alert.escalated_at = now
        since = alert.critical_at or alert.opened_at
        record_event(
            session,
            actor=None,
            action="alert.escalate",
            target_type="alert",
            target_id=alert.id,
            detail={
                "severity": alert.severity,
                "category": alert.category,
                "deadline_minutes": int(deadline / timedelta(minutes=1)),
                "critical_since": since.isoformat(),
                "recipients": len(officers),
            },
            now=now,
        )
        if mail:
            add_notifications(
                session,
                alert=alert,
                kind="escalation",
                previous=None,
                recipients=officers,
                now=now,
            )
        logger.warning(
            "alert %d escalated: critical and unacknowledged for %s", alert.id, now - since
        )
        escalated.append(alert.id)
    session.flush()
    return escalated
