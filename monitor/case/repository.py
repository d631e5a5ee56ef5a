"""Every query case files and their evidence export need."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from monitor.models import Alert, AlertPost, Case, Defender, Match, Post, Score, Source, User

#: Ids per IN (…) list: far below SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 1000

#: A case with its creator's username and its defender's slug and name.
CaseRow = Row[Case, str | None, str | None, str | None]
#: An alert with its defender's slug and (source-health alert) its source's name.
CaseAlertRow = Row[Alert, str | None, str | None]


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def _cases() -> Select[Case, str | None, str | None, str | None]:
    return (
        select(Case, User.username, Defender.slug, Defender.display_name)
        .outerjoin(User, User.id == Case.created_by_id)
        .outerjoin(Defender, Defender.id == Case.defender_id)
    )


def get_case_row(session: Session, case_id: int) -> CaseRow | None:
    """The case with who opened it and whom it is about, or None."""
    return session.execute(_cases().where(Case.id == case_id)).one_or_none()


def list_case_rows(session: Session, *, status: str | None, limit: int) -> Sequence[CaseRow]:
    """Cases, newest first."""
    query = _cases().order_by(Case.created_at.desc(), Case.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Case.status == status)
    return session.execute(query).all()


def lock_alerts(session: Session, alert_ids: Sequence[int]) -> list[Alert]:
    """The alerts with these ids, locked for update (PostgreSQL) so two cases cannot race."""
    found: list[Alert] = []
    for chunk in _chunks(alert_ids):
        query = select(Alert).where(Alert.id.in_(chunk)).order_by(Alert.id).with_for_update()
        found += session.scalars(query)
    return found


def alert_ids_by_case(session: Session, case_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each case's alert ids, ascending."""
    found: dict[int, list[int]] = {}
    for chunk in _chunks(case_ids):
        query = select(Alert.case_id, Alert.id).where(Alert.case_id.in_(chunk))
        for case_id, alert_id in session.execute(query.order_by(Alert.id)):
            if case_id is not None:
                found.setdefault(case_id, []).append(alert_id)
    return found


def case_alerts(session: Session, case_id: int) -> Sequence[CaseAlertRow]:
    """The case's alerts with their defender's slug (or source's name), oldest id first."""
    query = (
        select(Alert, Defender.slug, Source.name)
        .outerjoin(Defender, Defender.id == Alert.defender_id)
        .outerjoin(Source, Source.id == Alert.source_id)
        .where(Alert.case_id == case_id)
        .order_by(Alert.id)
    )
    return session.execute(query).all()


def case_defender_ids(session: Session, case_id: int) -> set[int]:
    """The distinct defenders the case's alerts are about."""
    query = (
        select(Alert.defender_id)
        .where(Alert.case_id == case_id, Alert.defender_id.is_not(None))
        .distinct()
    )
    return {defender_id for defender_id in session.scalars(query) if defender_id is not None}


def alert_links(session: Session, alert_ids: Sequence[int]) -> list[AlertPost]:
    """Which posts each alert collected, by alert then time added."""
    links: list[AlertPost] = []
    for chunk in _chunks(alert_ids):
        query = select(AlertPost).where(AlertPost.alert_id.in_(chunk))
        links += session.scalars(query)
    return sorted(links, key=lambda link: (link.alert_id, link.added_at, link.post_id))


def posts_with_source(session: Session, post_ids: Sequence[int]) -> list[Row[Post, str, str]]:
    """The posts with their source's name and platform, by post id."""
    rows: list[Row[Post, str, str]] = []
    for chunk in _chunks(post_ids):
        query = (
            select(Post, Source.name, Source.platform)
            .join(Source, Source.id == Post.source_id)
            .where(Post.id.in_(chunk))
            .order_by(Post.id)
        )
        rows += session.execute(query).all()
    return rows


def matches_with_defender(session: Session, post_ids: Sequence[int]) -> list[Row[Match, str]]:
    """Every match in these posts with the defender's slug, in text order."""
    rows: list[Row[Match, str]] = []
    for chunk in _chunks(post_ids):
        query = (
            select(Match, Defender.slug)
            .join(Defender, Defender.id == Match.defender_id)
            .where(Match.post_id.in_(chunk))
            .order_by(Match.post_id, Match.start, Match.end, Match.id)
        )
        rows += session.execute(query).all()
    return rows


def scores_of(session: Session, post_ids: Sequence[int]) -> list[Score]:
    """Every classifier score of these posts (all model versions), oldest first."""
    scores: list[Score] = []
    for chunk in _chunks(post_ids):
        query = (
            select(Score)
            .where(Score.post_id.in_(chunk))
            .order_by(Score.post_id, Score.scored_at, Score.id)
        )
        scores += session.scalars(query)
    return scores
