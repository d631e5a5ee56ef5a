"""Sending one ISO week's digests: to every active user with an address, once each.

Per recipient: make sure a `digests` row exists (unique per recipient and week), claim it
with a short lease (a conditional UPDATE, committed before anything is sent), send, then
mark it sent. Sending a week again therefore sends nothing new; a digest that failed is
sent by the next run (the scheduler's or a person's). As with notifications, a crash after
the SMTP server accepted a digest and before `sent_at` was committed sends it once more,
with the same Message-ID. A dry run reads the same plan and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import session_scope
from monitor.digest import repository
from monitor.digest.content import gather
from monitor.digest.period import Week, team_zone, week_of
from monitor.digest.render import RenderedDigest, render
from monitor.errors import InputError
from monitor.notify.mailer import Mailbox, MailFailure, SmtpConfig, mask_address, open_mailbox
from monitor.notify.messages import new_message

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Recipient:
    """A user the digest goes to."""

    user_id: int
    username: str
    address: str

    @property
    def masked(self) -> str:
        """The address as printed and logged: `o***@example.org`."""
        return mask_address(self.address)


@dataclass(frozen=True)
class DigestPlan:
    """Who gets which digest for a week, who already has it, who cannot get it."""

    week: Week
    digest: RenderedDigest
    to_send: list[Recipient]
    already_sent: list[str]
    without_address: list[str]


@dataclass
class DigestReport:
    """What a send did; `failure` is the label of the last error, if any."""

    period: str
    sent: list[str] = field(default_factory=list)
    already_sent: int = 0
    without_address: int = 0
    busy: int = 0
    failed: int = 0
    failure: str | None = None


def plan_week(session: Session, *, settings: Settings, week: Week, now: datetime) -> DigestPlan:
    """The digest for `week` and its recipients; InputError for a week not yet begun."""
    zone = team_zone(settings.timezone)
    start, end = week.bounds(zone)
    if start > now:
        raise InputError(f"{week.label} has not begun yet; a digest covers a past week")
    content = gather(session, week=week, start=start, end=end, now=now)
    digest = render(content, public_url=settings.public_url, zone_name=settings.timezone)
    sent = repository.sent_recipients(session, week.label)
    to_send, already, without = [], [], []
    for user in repository.active_users(session):
        if user.id in sent:
            already.append(user.username)
        elif not user.email:
            without.append(user.username)
        else:
            to_send.append(Recipient(user.id, user.username, user.email))
    return DigestPlan(week, digest, to_send, already, without)


def send_week(
    factory: sessionmaker[Session], *, settings: Settings, week: Week, now: datetime
) -> DigestReport:
    """Send `week`'s digest to everyone who has not had it; ConfigurationError without SMTP."""
    config = SmtpConfig.from_settings(settings)
    with session_scope(factory) as session:
        plan = plan_week(session, settings=settings, week=week, now=now)
        repository.ensure_rows(session, week.label, [r.user_id for r in plan.to_send], now)
    report = DigestReport(
        week.label, already_sent=len(plan.already_sent), without_address=len(plan.without_address)
    )
    if not plan.to_send:
        return report
    try:
        with open_mailbox(config) as mailbox:
            for recipient in plan.to_send:
                if not _send_one(factory, mailbox, plan, recipient, config, now, report):
                    break
    except MailFailure as failure:  # the connection could not be opened
        report.failed, report.failure = len(plan.to_send), failure.label
        with session_scope(factory) as session:
            ids = [r.user_id for r in plan.to_send]
            repository.record_failure(session, week.label, ids, failure.label)
        logger.warning("digest %s: SMTP server unavailable (%s)", week.label, failure.label)
    return report


def _send_one(
    factory: sessionmaker[Session],
    mailbox: Mailbox,
    plan: DigestPlan,
    recipient: Recipient,
    config: SmtpConfig,
    now: datetime,
    report: DigestReport,
) -> bool:
    """Claim, send, mark one digest; False when the connection broke and the run must stop."""
    period = plan.week.label
    with session_scope(factory) as session:
        if not repository.claim(session, recipient.user_id, period, now=now, until=now + LEASE):
            report.busy += 1
            return True
    message = new_message(
        subject=plan.digest.subject,
        sender=config.sender,
        to=recipient.address,
        text=plan.digest.text,
        html=plan.digest.html,
        message_id=f"kalkan.digest.{period}.{recipient.user_id}",
        now=now,
    )
    try:
        mailbox.send(message, to=recipient.address)
    except MailFailure as failure:
        with session_scope(factory) as session:
            repository.finish(session, recipient.user_id, period, sent_at=None, error=failure.label)
        report.failed, report.failure = report.failed + 1, failure.label
        logger.warning(
            "digest %s for user %d not sent (%s)", period, recipient.user_id, failure.label
        )
        return not failure.broken
    with session_scope(factory) as session:
        repository.finish(session, recipient.user_id, period, sent_at=now, error=None)
    report.sent.append(recipient.masked)
    return True


def send_last_week_if_due(
    factory: sessionmaker[Session], *, settings: Settings, now: datetime
) -> DigestReport | None:
    """The scheduler's job: from Monday at KALKAN_DIGEST_HOUR (team time) on, make sure last
    week's digest has gone to everyone; None before that hour. Idempotent: run it hourly."""
    zone = team_zone(settings.timezone)
    this_week = week_of(now, zone)
    due_from = datetime.combine(this_week.monday, time(settings.digest_hour), tzinfo=zone)
    if now < due_from:
        return None
    report = send_week(factory, settings=settings, week=this_week.previous(), now=now)
    if report.sent or report.failed:
        logger.info("digest %s: %d sent, %d failed", report.period, len(report.sent), report.failed)
    return report
