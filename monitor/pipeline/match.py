"""Match stage: find defenders' names and contact details in pending posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.defender import repository as defenders
from monitor.matching.engine import Matcher
from monitor.models import Match
from monitor.models import Post as PostRow
from monitor.upsert import insert_ignoring_conflicts


def match_pending(session: Session, *, matcher: Matcher, limit: int, now: datetime) -> int:
    """Match up to `limit` unmatched posts; returns how many were processed."""
    posts = list(
        session.scalars(
            select(PostRow).where(PostRow.matched_at.is_(None)).order_by(PostRow.id).limit(limit)
        )
    )
    if not posts:
        return 0
    ids_by_slug = defenders.slug_to_id(session)
    rows = []
    for post in posts:
        for span in matcher.find(post.text):
            defender_id = ids_by_slug.get(span.defender)
            if defender_id is None:
                continue
            rows.append(
                {
                    "post_id": post.id,
                    "defender_id": defender_id,
                    "kind": span.kind,
                    "start": span.start,
                    "end": span.end,
                    "surface": span.text[:500],
                }
            )
        post.matched_at = now
    insert_ignoring_conflicts(
        session,
        Match,
        rows,
        conflict_columns=("post_id", "defender_id", "kind", "start"),
    )
    session.flush()
    return len(posts)
