"""Source health: is each collector working, and has it fallen silent for longer than usual?

`assess_sources` reads each enabled source's run record and the posts it collected to give
one `SourceHealth` per source, for the /sources page. `raise_health_alerts` turns a broken
or silent source into one live "source_health" alert per source (group key
``source:<id>:health``), closes it when the source recovers, and closes it when the source
is disabled or removed (nobody will fix a source that is no longer collected).

**Silence is measured on the posts' own published times**, not on when we collected them.
What a protection officer needs to know is "this feed has stopped bringing anything new":
a source whose runs keep succeeding but whose newest post was published longer ago than
usual is silent, even if each run re-reads old posts or turns up a long-published one. So
each post counts at its published time, clamped to when we collected it (a clock-skewed
future date cannot hide a silence) and falling back to the collection time where the
platform gives none. The usual gap between posts, the usual rate and the items of the last
hour are measured on that same clock: a first run that backfills a week of a slow feed all
at once therefore shows the feed's real cadence (a post a day: silent after 4 days), not a
burst followed by a false "silent" six hours later. Recovery needs a post actually ingested
after the alert opened. Platforms fed by people rather than by a feed (`import`: drop
folders of forwarded exports, whose messages are weeks old and arrive when someone forwards
them) are never called silent; they can still be failing.

Both functions take `now`, so the time windows are testable. Nothing here logs post text
or names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from monitor.models import Alert, Post, Source

logger = logging.getLogger(__name__)

#: Consecutive failed runs after which a source is "failing" and an alert is raised.
FAILURES_BEFORE_ALERT = 3
#: A source is never called silent sooner than this after its last post.
MIN_SILENCE = timedelta(hours=6)
#: ... nor sooner than this many times its usual gap between posts.
SILENCE_FACTOR = 4
#: The window the usual rate (and usual gap) is computed over.
USUAL_WINDOW = timedelta(days=7)
#: Silence threshold for a source with too few recent posts to know its usual gap.
UNKNOWN_GAP_SILENCE = USUAL_WINDOW
#: Platforms whose posts arrive when someone brings them, not as a feed: never "silent".
NOT_FEEDS = frozenset({"import"})
CATEGORY = "source_health"
LIVE_STATUSES = ("open", "acknowledged")
STATUSES = ("ok", "failing", "silent", "never_run")
ATTENTION_ORDER = ("failing", "silent", "never_run", "ok")


@dataclass(frozen=True)
class SourceHealth:
    """One source's health as the /sources page and the health alerts see it."""

    source_id: int
    name: str
    platform: str
    status: str
    last_run_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    next_run_not_before: datetime | None
    items_last_hour: int
    usual_per_hour: float
    last_post_at: datetime | None  # the newest post's published time (see the module doc)
    silent_after: timedelta | None
    last_ingested_at: datetime | None = None  # when the newest post was first stored


@dataclass(frozen=True)
class _PostStats:
    last_hour: int
    week: int
    first_in_week: datetime | None
    last_in_week: datetime | None
    last_ever: datetime | None
    last_ingested: datetime | None


def health_group_key(source_id: int) -> str:
    """The identity of a source's health alert group (one live alert per source)."""
    return f"source:{source_id}:health"


def _post_stats(session: Session, *, now: datetime) -> dict[int, _PostStats]:
    """Per source, on the published-time clock: counts, window edges, newest post."""
    hour_ago, week_ago = now - timedelta(hours=1), now - USUAL_WINDOW
    published = case((Post.posted_at < Post.collected_at, Post.posted_at), else_=Post.collected_at)
    in_week = published >= week_ago
    query = select(
        Post.source_id,
        func.sum(case((published >= hour_ago, 1), else_=0)),
        func.sum(case((in_week, 1), else_=0)),
        func.min(case((in_week, published))),
        func.max(case((in_week, published))),
        func.max(published),
        func.max(Post.collected_at),
    ).group_by(Post.source_id)
    return {
        row[0]: _PostStats(int(row[1] or 0), int(row[2] or 0), *row[3:7])
        for row in session.execute(query).all()
    }


def _silence_threshold(platform: str, stats: _PostStats | None) -> timedelta | None:
    """How long without a newly published post counts as silent; None when never (a source
    that never produced a post, or a platform that is not a feed)."""
    if platform in NOT_FEEDS or stats is None or stats.last_ever is None:
        return None
    if stats.week < 2 or stats.first_in_week is None or stats.last_in_week is None:
        return UNKNOWN_GAP_SILENCE
    usual_gap = (stats.last_in_week - stats.first_in_week) / (stats.week - 1)
    return max(MIN_SILENCE, SILENCE_FACTOR * usual_gap)


def _usual_rate(stats: _PostStats | None, now: datetime) -> float:
    """Posts an hour over the last 7 days, or over the time since a newer source's first post."""
    if stats is None or stats.first_in_week is None:
        return 0.0
    hours = max((now - stats.first_in_week) / timedelta(hours=1), 1.0)
    return stats.week / hours


def by_attention(health: SourceHealth) -> tuple[int, str]:
    """Sort key putting failing, then silent, then never-run sources before healthy ones."""
    return ATTENTION_ORDER.index(health.status), health.name


def _status(
    source: Source, stats: _PostStats | None, silent_after: timedelta | None, now: datetime
) -> str:
    if source.last_run_at is None:
        return "never_run"
    if source.consecutive_failures >= FAILURES_BEFORE_ALERT:
        return "failing"
    last_post = stats.last_ever if stats is not None else None
    if last_post is not None and silent_after is not None and now - last_post > silent_after:
        return "silent"
    return "ok"


def assess_sources(session: Session, *, now: datetime) -> list[SourceHealth]:
    """The health of every enabled source, by name."""
    stats_by_source = _post_stats(session, now=now)
    sources = session.scalars(select(Source).where(Source.enabled).order_by(Source.name))
    assessed = []
    for source in sources:
        stats = stats_by_source.get(source.id)
        silent_after = _silence_threshold(source.platform, stats)
        assessed.append(
            SourceHealth(
                source_id=source.id,
                name=source.name,
                platform=source.platform,
                status=_status(source, stats, silent_after, now),
                last_run_at=source.last_run_at,
                last_success_at=source.last_success_at,
                last_error_at=source.last_error_at,
                last_error=source.last_error,
                consecutive_failures=source.consecutive_failures,
                next_run_not_before=source.next_run_not_before,
                items_last_hour=stats.last_hour if stats else 0,
                usual_per_hour=_usual_rate(stats, now),
                last_post_at=stats.last_ever if stats else None,
                silent_after=silent_after,
                last_ingested_at=stats.last_ingested if stats else None,
            )
        )
    return assessed


def _wanted(health: SourceHealth) -> tuple[str, str, str] | None:
    """(severity, title, reason) of the alert this health calls for, or None."""
    if health.status == "failing":
        error = health.last_error or "unknown error"
        reason = f"{health.consecutive_failures} consecutive failed runs"
        return "high", f"Source {health.name} is failing: {error}", reason
    if health.status == "silent" and health.silent_after is not None:
        hours = health.silent_after / timedelta(hours=1)
        return (
            "medium",
            f"Source {health.name} has fallen silent",
            f"no new post for over {hours:.0f} h",
        )
    return None


def _recovered(health: SourceHealth, alert: Alert) -> bool:
    """A source recovers with a successful run and, if it ever produced posts, a post
    ingested since the alert opened (a run that succeeds but brings nothing proves little)."""
    if health.status != "ok" or health.consecutive_failures > 0 or health.last_success_at is None:
        return False
    return health.last_ingested_at is None or health.last_ingested_at >= alert.opened_at


def _live_alerts(session: Session) -> dict[str, Alert]:
    query = select(Alert).where(Alert.category == CATEGORY, Alert.status.in_(LIVE_STATUSES))
    return {alert.group_key: alert for alert in session.scalars(query)}


def _update(alert: Alert, wanted: tuple[str, str, str], now: datetime) -> None:
    severity, title, reason = wanted
    if severity == "high" and alert.severity != "high" and alert.status == "acknowledged":
        alert.status = "open"  # a silent source now failing outright: tell the officer again
    alert.severity, alert.title, alert.reason = severity, title[:300], reason
    alert.last_post_at = now


def raise_health_alerts(session: Session, *, now: datetime) -> list[Alert]:
    """Open (or update) one alert per broken/silent source, close it on recovery and when
    its source is disabled or removed; idempotent."""
    live = _live_alerts(session)
    opened = []
    assessed = assess_sources(session, now=now)
    for health in assessed:
        key = health_group_key(health.source_id)
        alert, wanted = live.get(key), _wanted(health)
        if alert is not None and wanted is None:
            if _recovered(health, alert):
                alert.status, alert.closed_at = "closed", now
                logger.info(
                    "source %d recovered; health alert %d closed", health.source_id, alert.id
                )
        elif alert is not None and wanted is not None:
            if (alert.severity, alert.title[:300]) != (wanted[0], wanted[1][:300]):
                _update(alert, wanted, now)
        elif wanted is not None:
            opened.append(_open(session, health, wanted, now))
    _close_orphans(live, assessed={health_group_key(h.source_id) for h in assessed}, now=now)
    session.flush()
    return opened


def _close_orphans(live: dict[str, Alert], *, assessed: set[str], now: datetime) -> None:
    """Close the live alerts of sources no longer assessed: disabled, or removed."""
    for key, alert in live.items():
        if key in assessed:
            continue
        alert.status, alert.closed_at = "closed", now
        alert.reason = f"{alert.reason}; closed: source disabled or removed"
        logger.info("health alert %d closed: its source is disabled or removed", alert.id)


def _open(
    session: Session, health: SourceHealth, wanted: tuple[str, str, str], now: datetime
) -> Alert:
    severity, title, reason = wanted
    alert = Alert(
        defender_id=None,
        source_id=health.source_id,
        category=CATEGORY,
        severity=severity,
        status="open",
        group_key=health_group_key(health.source_id),
        title=title[:300],
        reason=reason,
        post_count=0,
        opened_at=now,
        last_post_at=now,
    )
    session.add(alert)
    session.flush()
    logger.warning(
        "source %d is %s; health alert %d opened", health.source_id, health.status, alert.id
    )
    return alert
