"""Every query the notification outbox needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from monitor.models import Alert, Defender, Notification, User

#: Roles that can act on alerts, and so are told about them.
ACTING_ROLES = ("officer", "admin")


def alerts_to_notify(session: Session, *, severities: Sequence[str], limit: int) -> list[Alert]:
    """Open defender alerts at one of `severities` not yet notified at that severity."""
    query = (
        select(Alert)
        .where(
            Alert.status == "open",
            Alert.defender_id.is_not(None),
            Alert.severity.in_(severities),
            (Alert.notified_severity.is_(None)) | (Alert.notified_severity != Alert.severity),
        )
        .order_by(Alert.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def acting_users(session: Session) -> list[User]:
    """Active officers and admins who have an e-mail address, by id."""
    query = (
        select(User)
        .where(
            User.is_active,
            User.role.in_(ACTING_ROLES),
            User.email.is_not(None),
            User.email != "",
        )
        .order_by(User.id)
    )
    return list(session.scalars(query))


def assigned_officer(session: Session, defender_id: int) -> User | None:
    """The defender's assigned officer, or None."""
    query = select(User).join(Defender, Defender.assigned_officer_id == User.id)
    return session.scalars(query.where(Defender.id == defender_id)).one_or_none()


def overdue_critical(session: Session, *, cutoff: datetime, limit: int) -> list[Alert]:
    """Open critical defender alerts critical since before `cutoff`, not yet escalated."""
    since = func.coalesce(Alert.critical_at, Alert.opened_at)
    query = (
        select(Alert)
        .where(
            Alert.status == "open",
            Alert.severity == "critical",
            Alert.defender_id.is_not(None),
            Alert.escalated_at.is_(None),
            since <= cutoff,
        )
        .order_by(Alert.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def due_notification_ids(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Pending notifications whose time has come, oldest first."""
    query = (
        select(Notification.id)
        .where(Notification.status == "pending", Notification.next_attempt_at <= now)
        .order_by(Notification.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim(session: Session, notification_id: int, *, now: datetime, until: datetime) -> bool:
    """Take a due notification for sending (a lease until `until`); False if someone has."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == "pending",
            Notification.next_attempt_at <= now,
        )
        .values(next_attempt_at=until, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def notification_subject(
    session: Session, notification_id: int
) -> tuple[Notification, Alert, str, User] | None:
    """The notification with its alert, the defender's name and the recipient."""
    query = (
        select(Notification, Alert, Defender.display_name, User)
        .join(Alert, Alert.id == Notification.alert_id)
        .join(Defender, Defender.id == Alert.defender_id)
        .join(User, User.id == Notification.user_id)
        .where(Notification.id == notification_id)
    )
    row = session.execute(query).one_or_none()
    return (row[0], row[1], row[2], row[3]) if row is not None else None
