"""Outgoing mail: the notification outbox and the record of weekly digests sent.

Both tables are written in the same transaction as the fact they announce (an alert's
`notified_severity`, an escalation) or claimed before the message leaves, so a crash never
loses a message and never sends one twice — except in the one window between an SMTP
server accepting a message and our commit of `sent_at`, documented in `monitor.notify`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from monitor.models.base import Base, CreatedAtMixin

#: pending: waiting to be sent (or retried); sent: accepted by the SMTP server;
#: skipped: its recipient lost their e-mail address or was deactivated before it left.
NOTIFICATION_STATUSES = ("pending", "sent", "skipped")
NOTIFICATION_KINDS = ("alert", "escalation")


class Notification(CreatedAtMixin, Base):
    """One e-mail to one officer about one alert at one severity (the outbox row)."""

    __tablename__ = "notifications"
    __table_args__ = (
        # Telling the same person the same thing twice is refused by the database too.
        UniqueConstraint("alert_id", "kind", "severity", "user_id"),
        Index("ix_notifications_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(20))
    previous_severity: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    #: Due time: a retry's backoff, or the sender's lease while it is being sent.
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    #: The failure's class and SMTP code only — never an address or any content.
    last_error: Mapped[str | None] = mapped_column(String(200))


class Digest(CreatedAtMixin, Base):
    """A weekly digest for one recipient and one ISO week; claimed before it is sent.

    `claimed_until` is a short lease taken (by a conditional UPDATE) by whoever sends it,
    so the scheduler and a `kalkan digest send` run at the same time never both send it.
    """

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("recipient_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))  # ISO week, e.g. 2026-W21
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
