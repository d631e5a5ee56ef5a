"""Alert stage: apply the severity rules to classified posts and group the findings."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.alert.grouping import record_finding
from monitor.alert.rules import Finding, PostFacts, evaluate, is_surge, strongest
from monitor.config import Settings
from monitor.models import Defender, DefenderEvent, Match, Score
from monitor.models import Post as PostRow

SURGE_WINDOW = timedelta(hours=1)
SURGE_BASELINE = timedelta(days=7)
EVENT_HORIZON = timedelta(days=30)


def alert_pending(session: Session, *, settings: Settings, limit: int, now: datetime) -> int:
    """Raise or extend alerts for up to `limit` classified posts; returns posts processed."""
    query = (
        select(PostRow)
        .where(PostRow.classified_at.is_not(None), PostRow.alerted_at.is_(None))
        .order_by(PostRow.id)
        .limit(limit)
    )
    posts = list(session.scalars(query))
    window = timedelta(minutes=settings.alert_group_window_minutes)
    for post in posts:
        for finding in _findings_for(session, post, settings=settings, now=now):
            name = session.get(Defender, finding.defender_id)
            record_finding(
                session,
                finding=finding,
                post_id=post.id,
                defender_name=name.display_name if name else "?",
                now=now,
                window=window,
            )
        post.alerted_at = now
    session.flush()
    return len(posts)


def _findings_for(
    session: Session, post: PostRow, *, settings: Settings, now: datetime
) -> list[Finding]:
    kinds: dict[int, set[str]] = defaultdict(set)
    for defender_id, kind in session.execute(
        select(Match.defender_id, Match.kind).where(Match.post_id == post.id)
    ):
        kinds[defender_id].add(kind)
    score = session.scalars(
        select(Score).where(Score.post_id == post.id).order_by(Score.scored_at.desc()).limit(1)
    ).first()
    findings: list[Finding] = []
    for defender_id, match_kinds in kinds.items():
        facts = PostFacts(
            defender_id=defender_id,
            match_kinds=frozenset(match_kinds),
            flagged=frozenset(score.flagged if score else ()),
            scores=_scores(score),
            reach=post.reach,
            mentions_upcoming_event=_mentions_event(session, defender_id, post.text, now),
        )
        findings += strongest(evaluate(facts, high_reach=settings.high_reach_followers)).values()
        if _surging(session, defender_id, now):
            findings.append(Finding(defender_id, "surge", "medium", "surge of mentions"))
    return findings


def _scores(score: Score | None) -> dict[str, float]:
    if score is None:
        return {}
    return {
        "threat": score.threat,
        "incitement": score.incitement,
        "insult": score.insult,
        "identity_attack": score.identity_attack,
        "sexual_harassment": score.sexual_harassment,
    }


def _mentions_event(session: Session, defender_id: int, text: str, now: datetime) -> bool:
    """Whether the post names an upcoming event's venue or title (case-insensitive)."""
    events = session.scalars(
        select(DefenderEvent).where(
            DefenderEvent.defender_id == defender_id,
            DefenderEvent.starts_at >= now - timedelta(days=1),
            DefenderEvent.starts_at <= now + EVENT_HORIZON,
        )
    )
    folded = text.casefold()
    for event in events:
        for needle in (event.venue, event.title):
            if needle and len(needle) >= 4 and needle.casefold() in folded:
                return True
    return False


def _mentions_between(session: Session, defender_id: int, start: datetime, end: datetime) -> int:
    query = (
        select(func.count(func.distinct(Match.post_id)))
        .join(PostRow, PostRow.id == Match.post_id)
        .where(
            Match.defender_id == defender_id,
            PostRow.collected_at >= start,
            PostRow.collected_at < end,
        )
    )
    return int(session.scalar(query) or 0)


def _surging(session: Session, defender_id: int, now: datetime) -> bool:
    recent = _mentions_between(session, defender_id, now - SURGE_WINDOW, now + timedelta(seconds=1))
    before = _mentions_between(session, defender_id, now - SURGE_BASELINE, now - SURGE_WINDOW)
    windows = SURGE_BASELINE / SURGE_WINDOW - 1
    return is_surge(recent, before / windows)
