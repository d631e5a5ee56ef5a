"""One notification round, as the scheduler runs it: queue, escalate, send.

Each step is its own unit of work, so a failure in sending never undoes the queueing or an
escalation already recorded. Without an SMTP server (KALKAN_SMTP_HOST unset) escalations
are still recorded on the alert and in the audit trail, but nothing is queued or sent —
so configuring mail later does not flood officers with stale messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import session_scope
from monitor.notify.escalation import escalate_overdue
from monitor.notify.mailer import SmtpConfig
from monitor.notify.queue import queue_alert_notifications
from monitor.notify.sender import Links, SendReport, send_due


@dataclass
class RoundReport:
    """Rows queued, alerts escalated and what the sender did in one round."""

    queued: int = 0
    escalated: list[int] = field(default_factory=list)
    sent: SendReport = field(default_factory=SendReport)


def links_for(settings: Settings) -> Links:
    """The sender, dashboard address and deadline the messages carry."""
    return Links(
        sender=settings.smtp_from,
        public_url=settings.public_url,
        deadline_minutes=settings.ack_deadline_minutes,
    )


def notify_round(
    factory: sessionmaker[Session], *, settings: Settings, now: datetime
) -> RoundReport:
    """Queue new notifications, escalate overdue critical alerts, send what is due."""
    report = RoundReport()
    mail = settings.mail_enabled
    if mail:
        with session_scope(factory) as session:
            report.queued = queue_alert_notifications(
                session, min_severity=settings.notify_min_severity, now=now
            )
    with session_scope(factory) as session:
        report.escalated = escalate_overdue(
            session,
            deadline=timedelta(minutes=settings.ack_deadline_minutes),
            mail=mail,
            now=now,
        )
    if mail:
        report.sent = send_due(
            factory, config=SmtpConfig.from_settings(settings), links=links_for(settings), now=now
        )
    return report
