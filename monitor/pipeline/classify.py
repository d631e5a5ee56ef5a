"""Classify stage: score posts that mention a defender (others need no score)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from classifiers.base import LABELS, TextClassifier
from monitor.models import Match, Score
from monitor.models import Post as PostRow
from monitor.upsert import insert_ignoring_conflicts


def classify_pending(
    session: Session, *, classifier: TextClassifier, limit: int, now: datetime
) -> int:
    """Score up to `limit` matched, unclassified posts; returns how many were processed."""
    query = (
        select(PostRow)
        .where(PostRow.matched_at.is_not(None), PostRow.classified_at.is_(None))
        .order_by(PostRow.id)
        .limit(limit)
    )
    posts = list(session.scalars(query))
    if not posts:
        return 0
    mentioned = [post for post in posts if _has_match(session, post.id)]
    predictions = classifier.predict([post.text for post in mentioned]) if mentioned else []
    rows = []
    for post, prediction in zip(mentioned, predictions, strict=True):
        if not post.lang and prediction.lang != "und":
            post.lang = prediction.lang
        rows.append(
            {
                "post_id": post.id,
                "model_version": classifier.model_version,
                "lang": prediction.lang,
                **{label: float(prediction.scores.get(label, 0.0)) for label in LABELS},
                "flagged": list(prediction.flagged),
                "explanations": prediction.explanations,
                "error": prediction.error,
                "scored_at": now,
            }
        )
    insert_ignoring_conflicts(session, Score, rows, conflict_columns=("post_id", "model_version"))
    for post in posts:
        post.classified_at = now
    session.flush()
    return len(posts)


def _has_match(session: Session, post_id: int) -> bool:
    return bool(session.scalar(select(exists().where(Match.post_id == post_id))))
