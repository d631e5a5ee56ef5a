"""Every query the weekly digest needs: counts over one [start, end) window, and its audience."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import ColumnElement, Row, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from monitor.models import Alert, AlertPost, Defender, Digest, Match, Post, Source, User
from monitor.upsert import insert_ignoring_conflicts

#: (category, severity) → number of alerts.
Tally = Counter[tuple[str, str]]


def tally_alerts(
    session: Session, column: InstrumentedAttribute[datetime | None], start: datetime, end: datetime
) -> Tally:
    """Defender alerts whose `column` (opened_at, escalated_at…) falls in the window."""
    query = (
        select(Alert.category, Alert.severity, func.count(Alert.id))
        .where(Alert.defender_id.is_not(None), column >= start, column < end)
        .group_by(Alert.category, Alert.severity)
    )
    return Counter({(cat, sev): int(n) for cat, sev, n in session.execute(query).all()})


def alerts_opened_per_defender(session: Session, start: datetime, end: datetime) -> dict[int, int]:
    """Alerts opened in the window, per defender id."""
    query = (
        select(Alert.defender_id, func.count(Alert.id))
        .where(Alert.defender_id.is_not(None), Alert.opened_at >= start, Alert.opened_at < end)
        .group_by(Alert.defender_id)
    )
    return {d: int(n) for d, n in session.execute(query).all() if d is not None}


def alert_posts_per_defender(session: Session, start: datetime, end: datetime) -> dict[int, int]:
    """Posts added to a defender's alerts in the window (each post once per defender)."""
    query = (
        select(Alert.defender_id, func.count(func.distinct(AlertPost.post_id)))
        .join(Alert, Alert.id == AlertPost.alert_id)
        .where(
            Alert.defender_id.is_not(None), AlertPost.added_at >= start, AlertPost.added_at < end
        )
        .group_by(Alert.defender_id)
    )
    return {d: int(n) for d, n in session.execute(query).all() if d is not None}


def mentions_per_defender(
    session: Session, start: datetime, end: datetime, *, unflagged_only: bool
) -> dict[int, int]:
    """Posts collected in the window that mention each defender; with `unflagged_only`, only
    those that joined none of that defender's alerts (the low-severity mentions)."""
    query = (
        select(Match.defender_id, func.count(func.distinct(Match.post_id)))
        .join(Post, Post.id == Match.post_id)
        .where(Post.collected_at >= start, Post.collected_at < end)
        .group_by(Match.defender_id)
    )
    if unflagged_only:
        in_alert = (
            select(AlertPost.post_id)
            .join(Alert, Alert.id == AlertPost.alert_id)
            .where(AlertPost.post_id == Match.post_id, Alert.defender_id == Match.defender_id)
        )
        query = query.where(~in_alert.exists())
    return {d: int(n) for d, n in session.execute(query).all() if d is not None}


def defenders_by_id(session: Session, ids: set[int]) -> dict[int, Defender]:
    """The defenders with these ids."""
    if not ids:
        return {}
    return {d.id: d for d in session.scalars(select(Defender).where(Defender.id.in_(ids)))}


def _critical_in(start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
    since = func.coalesce(Alert.critical_at, Alert.opened_at)
    return (
        Alert.severity == "critical",
        Alert.defender_id.is_not(None),
        since >= start,
        since < end,
    )


def critical_alerts(
    session: Session, start: datetime, end: datetime, *, limit: int
) -> tuple[int, list[Row[int, str, str, str]]]:
    """How many defender alerts became critical in the window, and (id, defender name,
    category, status) of the first `limit` of them."""
    total = session.scalar(select(func.count(Alert.id)).where(*_critical_in(start, end)))
    query = (
        select(Alert.id, Defender.display_name, Alert.category, Alert.status)
        .join(Defender, Defender.id == Alert.defender_id)
        .where(*_critical_in(start, end))
        .order_by(Alert.id)
        .limit(limit)
    )
    return int(total or 0), list(session.execute(query).all())


def health_alerts_opened(
    session: Session, start: datetime, end: datetime
) -> list[Row[str, str, str, datetime]]:
    """(source name, severity, reason, opened) of source-health alerts opened in the window."""
    query = (
        select(Source.name, Alert.severity, Alert.reason, Alert.opened_at)
        .join(Source, Source.id == Alert.source_id)
        .where(Alert.opened_at >= start, Alert.opened_at < end)
        .order_by(Alert.opened_at, Alert.id)
    )
    return list(session.execute(query).all())


def active_users(session: Session) -> list[User]:
    """Every active user (the digest's audience), by id."""
    return list(session.scalars(select(User).where(User.is_active).order_by(User.id)))


def sent_recipients(session: Session, period: str) -> set[int]:
    """Ids of the users whose digest for `period` has been sent."""
    query = select(Digest.recipient_id).where(Digest.period == period, Digest.sent_at.is_not(None))
    return set(session.scalars(query))


def ensure_rows(session: Session, period: str, recipient_ids: list[int], now: datetime) -> None:
    """A `digests` row for each recipient and the period (existing rows are kept)."""
    rows = [
        {"recipient_id": rid, "period": period, "attempts": 0, "created_at": now}
        for rid in recipient_ids
    ]
    insert_ignoring_conflicts(
        session, Digest, rows, conflict_columns=("recipient_id", "period"), returning=("id",)
    )


def claim(
    session: Session, recipient_id: int, period: str, *, now: datetime, until: datetime
) -> bool:
    """Take an unsent digest for sending (a lease until `until`); False when it is sent or
    someone else holds it."""
    result = session.execute(
        update(Digest)
        .where(
            Digest.recipient_id == recipient_id,
            Digest.period == period,
            Digest.sent_at.is_(None),
            (Digest.claimed_until.is_(None)) | (Digest.claimed_until <= now),
        )
        .values(claimed_until=until, attempts=Digest.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def finish(
    session: Session, recipient_id: int, period: str, *, sent_at: datetime | None, error: str | None
) -> None:
    """Release the lease: sent (with `sent_at`) or failed (with the error's label)."""
    session.execute(
        update(Digest)
        .where(Digest.recipient_id == recipient_id, Digest.period == period)
        .values(claimed_until=None, sent_at=sent_at, last_error=error)
        .execution_options(synchronize_session=False)
    )


def record_failure(session: Session, period: str, recipient_ids: list[int], error: str) -> None:
    """Note a failed attempt for digests that could not even be claimed (server down)."""
    session.execute(
        update(Digest)
        .where(
            Digest.period == period,
            Digest.recipient_id.in_(recipient_ids),
            Digest.sent_at.is_(None),
        )
        .values(attempts=Digest.attempts + 1, last_error=error)
        .execution_options(synchronize_session=False)
    )
