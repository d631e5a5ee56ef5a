"""The outgoing-mail state an operator needs to see: is mail flowing, or piling up?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.models import Digest, Notification


@dataclass(frozen=True)
class MailStatus:
    """Pending notifications, how many have failed at least once, and the latest failure."""

    configured: bool
    pending: int
    failing: int
    oldest_pending_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None
    unsent_digests: int

    @property
    def troubled(self) -> bool:
        """Whether something waits because sending failed."""
        return self.failing > 0 or self.unsent_digests > 0


def mail_status(session: Session, *, configured: bool) -> MailStatus:
    """The outbox and digest state (error labels only; never addresses or contents)."""
    pending = Notification.status == "pending"
    count, failing, oldest = session.execute(
        select(
            func.count(Notification.id),
            func.count(Notification.id).filter(Notification.last_error.is_not(None)),
            func.min(Notification.created_at),
        ).where(pending)
    ).one()
    latest_failure = session.execute(
        select(Notification.last_error, Notification.next_attempt_at)
        .where(pending, Notification.last_error.is_not(None))
        .order_by(Notification.next_attempt_at.desc())
        .limit(1)
    ).first()
    unsent = session.scalar(
        select(func.count(Digest.id)).where(Digest.sent_at.is_(None), Digest.attempts > 0)
    )
    return MailStatus(
        configured=configured,
        pending=int(count or 0),
        failing=int(failing or 0),
        oldest_pending_at=oldest,
        next_attempt_at=latest_failure[1] if latest_failure else None,
        last_error=latest_failure[0] if latest_failure else None,
        unsent_digests=int(unsent or 0),
    )
