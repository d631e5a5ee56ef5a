"""Sending the outbox: claim, send, mark — each notification its own pair of transactions.

A row is claimed with a conditional UPDATE that moves `next_attempt_at` a lease ahead
(committed before anything is sent, so no lock is held while the SMTP server answers),
then sent, then marked sent. A crash after the claim leaves the row pending: it is sent
when the lease runs out. A failure keeps it pending with a backoff; a broken connection
stops the run (the other due rows wait for the next one), a refused recipient does not.
A row whose alert was acknowledged or closed meanwhile, or whose severity a newer
notification overtook, is skipped: after an outage officers get what is still news.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.orm import Session, sessionmaker

from monitor.db import session_scope
from monitor.models import Alert, Notification
from monitor.notify import repository
from monitor.notify.mailer import Mailbox, MailFailure, SmtpConfig, open_mailbox
from monitor.notify.messages import (
    AlertFacts,
    alert_subject,
    alert_text,
    escalation_subject,
    escalation_text,
    new_message,
)

logger = logging.getLogger(__name__)

#: How long a claimed row is left alone (longer than any SMTP exchange can take).
LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
BATCH = 100


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failed attempt, never more than an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


@dataclass(frozen=True)
class Links:
    """Who messages come from, how they point into the dashboard, the deadline they name."""

    sender: str
    public_url: str
    deadline_minutes: int

    def alert(self, alert_id: int) -> str:
        """The alert's page in the dashboard."""
        return f"{self.public_url}/alerts/{alert_id}"


@dataclass
class SendReport:
    """What one run did; `failure` is the label of the error that stopped it, if any."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    failure: str | None = None
    ids_sent: list[int] = field(default_factory=list)


def send_due(
    factory: sessionmaker[Session],
    *,
    config: SmtpConfig,
    links: Links,
    now: datetime,
    limit: int = BATCH,
) -> SendReport:
    """Send every due notification (up to `limit`); failures are kept for a later retry."""
    report = SendReport()
    with session_scope(factory) as session:
        due = repository.due_notification_ids(session, now=now, limit=limit)
    if not due:
        return report
    try:
        with open_mailbox(config) as mailbox:
            for notification_id in due:
                if not _send_one(factory, mailbox, notification_id, links, now, report):
                    break
    except MailFailure as failure:  # the connection could not be opened
        report.failure = failure.label
        with session_scope(factory) as session:
            for notification_id in due:
                row = session.get(Notification, notification_id)
                if row is not None and row.status == "pending" and row.next_attempt_at <= now:
                    row.attempts += 1
                    _defer(row, failure.label, now)
        logger.warning(
            "mail: SMTP server unavailable (%s); %d notifications wait, next try in %s",
            failure.label,
            len(due),
            retry_delay(1),
        )
    return report


def _send_one(
    factory: sessionmaker[Session],
    mailbox: Mailbox,
    notification_id: int,
    links: Links,
    now: datetime,
    report: SendReport,
) -> bool:
    """Claim, send and mark one row; False when the connection broke and the run must stop."""
    with session_scope(factory) as session:
        if not repository.claim(session, notification_id, now=now, until=now + LEASE):
            return True
    with session_scope(factory) as session:
        subject = repository.notification_subject(session, notification_id)
        if subject is None:
            return True  # its alert or recipient was deleted meanwhile
        row, alert, defender_name, user = subject
        address = user.email if user.is_active and user.email else None
        reason = _stale(row, alert)
        if address is None or reason is not None:
            row.status = "skipped"
            row.last_error = reason or "recipient inactive or without e-mail"
            report.skipped += 1
            return True
        message = _compose(row, alert, defender_name, address, links, now)
        try:
            mailbox.send(message, to=address)
        except MailFailure as failure:
            _defer(row, failure.label, now)
            report.failed += 1
            report.failure = failure.label
            logger.warning(
                "mail: notification %d not sent (%s), attempt %d; retry after %s",
                row.id,
                failure.label,
                row.attempts,
                row.next_attempt_at.isoformat(timespec="seconds"),
            )
            return not failure.broken
        row.status, row.sent_at, row.last_error = "sent", now, None
        report.sent += 1
        report.ids_sent.append(row.id)
    return True


def _stale(row: Notification, alert: Alert) -> str | None:
    """Why a message waiting in the outbox (e.g. through an SMTP outage) is no longer news:
    someone acknowledged or closed the alert, or a more severe notification replaced it."""
    if alert.status != "open":
        return f"alert {alert.status} before sending"
    if row.kind == "alert" and row.severity != alert.severity:
        return "superseded by a more severe notification"
    return None


def _defer(row: Notification, label: str, now: datetime) -> None:
    row.next_attempt_at = now + retry_delay(row.attempts)
    row.last_error = label[:200]


def _compose(
    row: Notification, alert: Alert, defender_name: str, to: str, links: Links, now: datetime
) -> EmailMessage:
    """The message for one outbox row, from the alert as it stands now."""
    facts = AlertFacts(
        alert_id=alert.id,
        defender_name=defender_name,
        category=alert.category,
        severity=row.severity,
        previous_severity=row.previous_severity,
        reason=alert.reason,
        post_count=alert.post_count,
        opened_at=alert.opened_at,
        critical_at=alert.critical_at,
        status=alert.status,
    )
    link, minutes = links.alert(alert.id), links.deadline_minutes
    if row.kind == "escalation":
        subject = escalation_subject(facts)
        text = escalation_text(facts, link=link, deadline_minutes=minutes)
    else:
        subject = alert_subject(facts)
        text = alert_text(facts, link=link, deadline_minutes=minutes)
    return new_message(
        subject=subject,
        sender=links.sender,
        to=to,
        text=text,
        message_id=f"kalkan.notification.{row.id}",
        now=now,
    )
