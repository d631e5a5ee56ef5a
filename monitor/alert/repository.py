"""Every query the alert read side and officer actions need (raising alerts is grouping.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from monitor.models import Alert, AlertPost, Defender, Match, Post, Score, Source

#: Characters of post text read for feed excerpts (never the whole, possibly huge, text).
EXCERPT_READ = 400

#: An alert with its defender's slug and name, or (source-health alert) its source's name.
AlertRow = Row[Alert, str | None, str | None, str | None]


def _with_subject() -> Select[Alert, str | None, str | None, str | None]:
    """Alerts joined to whom they are about: a defender, or a source for a health alert."""
    return (
        select(Alert, Defender.slug, Defender.display_name, Source.name)
        .outerjoin(Defender, Defender.id == Alert.defender_id)
        .outerjoin(Source, Source.id == Alert.source_id)
    )


def page_alerts(
    session: Session,
    *,
    status: str | None,
    severity: str | None,
    defender: str | None,
    limit: int,
    after: tuple[datetime, int] | None,
) -> Sequence[AlertRow]:
    """Alerts with their defender's slug and name (or source), newest `last_post_at` first."""
    query = _with_subject()
    if status is not None:
        query = query.where(Alert.status == status)
    if severity is not None:
        query = query.where(Alert.severity == severity)
    if defender is not None:
        query = query.where(Defender.slug == defender)
    if after is not None:
        at, alert_id = after
        query = query.where(
            or_(Alert.last_post_at < at, and_(Alert.last_post_at == at, Alert.id < alert_id))
        )
    query = query.order_by(Alert.last_post_at.desc(), Alert.id.desc()).limit(limit)
    return session.execute(query).all()


#: (post id, text cut to EXCERPT_READ, full text length, url, author, posted_at)
LatestPost = tuple[int, str, int, str | None, str | None, datetime | None]


def latest_posts(session: Session, alert_ids: Sequence[int]) -> dict[int, LatestPost]:
    """For each alert, its most recently added post (text cut to EXCERPT_READ characters)."""
    if not alert_ids:
        return {}
    ranked = (
        select(
            AlertPost.alert_id,
            AlertPost.post_id,
            func.row_number()
            .over(
                partition_by=AlertPost.alert_id,
                order_by=(AlertPost.added_at.desc(), AlertPost.post_id.desc()),
            )
            .label("rank"),
        )
        .where(AlertPost.alert_id.in_(alert_ids))
        .subquery()
    )
    query = (
        select(
            ranked.c.alert_id,
            Post.id,
            func.substr(Post.text, 1, EXCERPT_READ),
            func.length(Post.text),
            Post.url,
            Post.author,
            Post.posted_at,
        )
        .join(Post, Post.id == ranked.c.post_id)
        .where(ranked.c.rank == 1)
    )
    return {row[0]: tuple(row[1:]) for row in session.execute(query).all()}


def get_alert_row(session: Session, alert_id: int) -> AlertRow | None:
    """The alert with its defender's slug and name (or its source's name), or None."""
    query = _with_subject().where(Alert.id == alert_id)
    return session.execute(query).one_or_none()


def alert_posts(session: Session, alert_id: int, *, limit: int) -> Sequence[Row[AlertPost, Post]]:
    """The alert's posts, newest first."""
    query = (
        select(AlertPost, Post)
        .join(Post, Post.id == AlertPost.post_id)
        .where(AlertPost.alert_id == alert_id)
        .order_by(AlertPost.added_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return session.execute(query).all()


def scores_for(session: Session, post_ids: Sequence[int]) -> dict[int, Score]:
    """The most recent score of each post."""
    query = (
        select(Score)
        .where(Score.post_id.in_(post_ids))
        .order_by(Score.post_id, Score.scored_at.desc(), Score.id.desc())
    )
    latest: dict[int, Score] = {}
    for score in session.scalars(query):
        latest.setdefault(score.post_id, score)
    return latest


def matches_for(session: Session, post_ids: Sequence[int]) -> dict[int, list[Match]]:
    """Every match in these posts, in text order."""
    query = select(Match).where(Match.post_id.in_(post_ids)).order_by(Match.post_id, Match.start)
    found: dict[int, list[Match]] = {}
    for match in session.scalars(query):
        found.setdefault(match.post_id, []).append(match)
    return found


def get_alert(session: Session, alert_id: int) -> Alert | None:
    """The alert row, or None."""
    return session.get(Alert, alert_id)
