"""The alert read side (feed, detail, JSON API) and what officers do to alerts.

Feed order is newest `last_post_at` first with the id as tie-breaker; pages are keyset
pages (an opaque cursor), so a busy feed neither skips nor repeats alerts while it moves.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.alert import repository
from monitor.alert.schemas import (
    DETAIL_TEXT_LIMIT,
    EXCERPT_LIMIT,
    AlertDetail,
    AlertPostView,
    AlertRead,
    FeedItem,
    MatchSpan,
    PostExcerpt,
)
from monitor.audit.service import record_event
from monitor.errors import Conflict, InputError, NotFound
from monitor.models import ALERT_STATUSES, SEVERITIES, Alert, Match, Post, Score, User
from monitor.user.service import require_role

MAX_PAGE = 200
MAX_DETAIL_POSTS = 200
LABELS = ("threat", "incitement", "insult", "identity_attack", "sexual_harassment")


def encode_cursor(at: datetime, alert_id: int) -> str:
    """An opaque cursor pointing just after this alert."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{alert_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (last_post_at, id) a cursor points after; InputError when it is malformed."""
    try:
        at, _, alert_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(at), int(alert_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InputError("invalid page cursor") from exc


def to_read(alert: Alert, defender_slug: str | None, source_name: str | None = None) -> AlertRead:
    """The API shape of an alert (a source-health alert has a source, not a defender)."""
    return AlertRead(
        id=alert.id,
        defender=defender_slug,
        source=source_name,
        category=alert.category,
        severity=alert.severity,
        status=alert.status,
        post_count=alert.post_count,
        case_id=alert.case_id,
        title=alert.title,
        opened_at=alert.opened_at,
        last_post_at=alert.last_post_at,
        acknowledged_at=alert.acknowledged_at,
        escalated_at=alert.escalated_at,
    )


def _check_filters(status: str | None, severity: str | None, limit: int) -> None:
    if status is not None and status not in ALERT_STATUSES:
        raise InputError(f"unknown status {status!r}; choose one of {', '.join(ALERT_STATUSES)}")
    if severity is not None and severity not in SEVERITIES:
        raise InputError(f"unknown severity {severity!r}; choose one of {', '.join(SEVERITIES)}")
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}")


def list_alerts(
    session: Session,
    *,
    status: str | None = None,
    severity: str | None = None,
    defender: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[FeedItem], str | None]:
    """One page of the feed, newest first, and the cursor of the next page (or None)."""
    _check_filters(status, severity, limit)
    after = decode_cursor(cursor) if cursor else None
    rows = repository.page_alerts(
        session, status=status, severity=severity, defender=defender, limit=limit + 1, after=after
    )
    more = len(rows) > limit
    rows = rows[:limit]
    latest = repository.latest_posts(session, [row[0].id for row in rows])
    items = [
        FeedItem(
            alert=to_read(alert, slug, source),
            defender_name=name,
            latest=_excerpt(latest.get(alert.id)),
        )
        for alert, slug, name, source in rows
    ]
    last = rows[-1][0] if rows else None
    next_cursor = encode_cursor(last.last_post_at, last.id) if more and last else None
    return items, next_cursor


def _excerpt(row: repository.LatestPost | None) -> PostExcerpt | None:
    if row is None:
        return None
    post_id, text, length, url, author, posted_at = row
    text = text or ""
    cut = len(text) > EXCERPT_LIMIT or (length or 0) > EXCERPT_LIMIT
    return PostExcerpt(
        post_id=post_id,
        text=text[:EXCERPT_LIMIT],
        truncated=cut,
        url=url,
        author=author,
        posted_at=posted_at,
    )


def get_alert(session: Session, alert_id: int) -> AlertDetail:
    """The alert with its grouped posts, their scores and matches; NotFound if absent."""
    row = repository.get_alert_row(session, alert_id)
    if row is None:
        raise NotFound(f"alert {alert_id} does not exist")
    alert, slug, name, source = row
    pairs = repository.alert_posts(session, alert_id, limit=MAX_DETAIL_POSTS)
    post_ids = [post.id for _, post in pairs]
    scores = repository.scores_for(session, post_ids)
    matches = repository.matches_for(session, post_ids)
    posts = [
        _post_view(link.severity, link.reason, post, scores.get(post.id), matches.get(post.id, []))
        for link, post in pairs
    ]
    return AlertDetail(
        alert=to_read(alert, slug, source), defender_name=name, reason=alert.reason, posts=posts
    )


def _post_view(
    severity: str, reason: str, post: Post, score: Score | None, matches: list[Match]
) -> AlertPostView:
    return AlertPostView(
        post_id=post.id,
        url=post.url,
        author=post.author,
        posted_at=post.posted_at,
        text=post.text[:DETAIL_TEXT_LIMIT],
        truncated=len(post.text) > DETAIL_TEXT_LIMIT,
        severity=severity,
        reason=reason,
        scores={label: getattr(score, label) for label in LABELS} if score else {},
        flagged=list(score.flagged or []) if score else [],
        explanations=dict(score.explanations or {}) if score else {},
        matches=[MatchSpan(kind=m.kind, start=m.start, end=m.end) for m in matches],
        deleted_at=post.deleted_at,
        reappeared_at=_reappeared_at(post) if post.deleted_at else None,
    )


def _reappeared_at(post: Post) -> datetime | None:
    """When a post marked deleted was collected again (ingest notes it in `raw`)."""
    value = (post.raw or {}).get("reappeared_at")
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def acknowledge_alert(
    session: Session, *, alert_id: int, user: User, now: datetime, ip: str | None = None
) -> AlertRead:
    """Mark an open alert acknowledged by `user` (audited); acknowledging twice is a no-op."""
    require_role(user, "officer")
    row = repository.get_alert_row(session, alert_id)
    if row is None:
        raise NotFound(f"alert {alert_id} does not exist")
    alert, slug, _, source = row
    if alert.status == "closed":
        raise Conflict(f"alert {alert_id} is closed")
    if alert.status == "open":
        alert.status = "acknowledged"
        alert.acknowledged_at = now
        alert.acknowledged_by_id = user.id
        session.flush()
        record_event(
            session,
            actor=user,
            action="alert.acknowledge",
            target_type="alert",
            target_id=alert.id,
            detail={"severity": alert.severity, "category": alert.category},
            ip=ip,
            now=now,
        )
    return to_read(alert, slug, source)
