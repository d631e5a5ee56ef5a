"""Source health: failing, silent, recovered, and the one live alert per source."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pipeline_support import KeywordClassifier
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Alert, Source
from monitor.runtime import Runtime
from monitor.scheduler import KalkanScheduler
from monitor.security.keys import derive_keys
from monitor.source.health import (
    SourceHealth,
    assess_sources,
    health_group_key,
    raise_health_alerts,
)
from tests.builders import NOW, make_post, make_source


def _steady(
    session: Session, source: Source, *, every: timedelta, count: int, last: timedelta
) -> None:
    """`count` posts `every` apart, the newest `last` before NOW."""
    for i in range(count):
        make_post(session, source=source, collected_at=NOW - last - i * every)


def _ran(source: Source, *, failures: int = 0, error: str | None = None) -> None:
    source.last_run_at = NOW - timedelta(minutes=1)
    source.consecutive_failures = failures
    if failures:
        source.last_error, source.last_error_at = error, NOW - timedelta(minutes=1)
    else:
        source.last_success_at = NOW - timedelta(minutes=1)


def _live(session: Session, source: Source) -> list[Alert]:
    query = select(Alert).where(
        Alert.group_key == health_group_key(source.id), Alert.status.in_(("open", "acknowledged"))
    )
    return list(session.scalars(query))


def _health(session: Session, source: Source) -> SourceHealth:
    (found,) = [h for h in assess_sources(session, now=NOW) if h.source_id == source.id]
    return found


def test_assessment_counts_items_and_usual_rate(session: Session) -> None:
    source = make_source(session)
    _ran(source)
    _steady(session, source, every=timedelta(minutes=20), count=12, last=timedelta(minutes=5))
    health = _health(session, source)
    assert health.status == "ok"
    assert health.items_last_hour == 3  # 5, 25 and 45 minutes ago
    assert abs(health.usual_per_hour - 12 / 3.75) < 1e-9  # 12 posts since the first, 225 min ago
    assert health.silent_after == timedelta(hours=6)  # 4 x 20 min is less than the floor


def test_never_run_source_is_reported_and_not_alerted(session: Session) -> None:
    source = make_source(session)
    assert _health(session, source).status == "never_run"
    raise_health_alerts(session, now=NOW)
    assert _live(session, source) == []


def test_failing_source_raises_one_high_alert_idempotently(session: Session) -> None:
    source = make_source(session, name="telegram-kz")
    _ran(source, failures=3, error="TransientError: HTTP 502 from t.me")
    (alert,) = raise_health_alerts(session, now=NOW)
    assert (alert.category, alert.severity, alert.status) == ("source_health", "high", "open")
    assert alert.defender_id is None and alert.source_id == source.id
    assert alert.title == "Source telegram-kz is failing: TransientError: HTTP 502 from t.me"
    assert raise_health_alerts(session, now=NOW + timedelta(minutes=1)) == []
    assert len(_live(session, source)) == 1


def test_two_failures_are_not_yet_an_alert(session: Session) -> None:
    source = make_source(session)
    _ran(source, failures=2, error="TransientError: timeout")
    assert _health(session, source).status == "ok"
    assert raise_health_alerts(session, now=NOW) == []


def test_silent_source_raises_a_medium_alert(session: Session) -> None:
    source = make_source(session, name="rss-news")
    _ran(source)
    # A post every 2 hours, the newest 9 hours ago: silent after max(6 h, 8 h).
    _steady(session, source, every=timedelta(hours=2), count=20, last=timedelta(hours=9))
    health = _health(session, source)
    assert (health.status, health.silent_after) == ("silent", timedelta(hours=8))
    (alert,) = raise_health_alerts(session, now=NOW)
    assert (alert.severity, alert.title) == ("medium", "Source rss-news has fallen silent")


def test_a_usually_slow_source_is_not_silent_within_its_usual_gap(session: Session) -> None:
    source = make_source(session)
    _ran(source)
    # A post every 4 hours, the newest 9 hours ago: silent only after 16 h.
    _steady(session, source, every=timedelta(hours=4), count=10, last=timedelta(hours=9))
    assert _health(session, source).status == "ok"
    assert raise_health_alerts(session, now=NOW) == []


def test_recovered_source_closes_its_alert(session: Session) -> None:
    source = make_source(session)
    _steady(session, source, every=timedelta(minutes=30), count=10, last=timedelta(hours=1))
    _ran(source, failures=4, error="AuthError: token revoked")
    (alert,) = raise_health_alerts(session, now=NOW)
    # A successful run but no new post yet: the alert stays open.
    _ran(source)
    raise_health_alerts(session, now=NOW + timedelta(minutes=5))
    assert alert.status == "open"
    make_post(session, source=source, collected_at=NOW + timedelta(minutes=6))
    raise_health_alerts(session, now=NOW + timedelta(minutes=10))
    assert (alert.status, alert.closed_at) == ("closed", NOW + timedelta(minutes=10))
    assert _live(session, source) == []


def test_a_silent_source_that_then_fails_is_escalated_in_place(session: Session) -> None:
    source = make_source(session)
    _ran(source)
    _steady(session, source, every=timedelta(hours=1), count=10, last=timedelta(hours=7))
    (alert,) = raise_health_alerts(session, now=NOW)
    alert.status = "acknowledged"
    _ran(source, failures=3, error="NotFound: channel gone")
    assert raise_health_alerts(session, now=NOW + timedelta(minutes=1)) == []
    assert (alert.severity, alert.status) == ("high", "open")
    assert len(_live(session, source)) == 1


def test_disabled_sources_are_not_assessed(session: Session) -> None:
    source = make_source(session, enabled=False)
    _ran(source, failures=5, error="x")
    assert all(h.source_id != source.id for h in assess_sources(session, now=NOW))


def test_usual_rate_spans_the_whole_week_for_an_old_source(session: Session) -> None:
    source = make_source(session)
    _ran(source)
    _steady(session, source, every=timedelta(hours=8), count=30, last=timedelta(hours=1))
    make_post(session, source=source, collected_at=NOW - timedelta(days=30))
    health = _health(session, source)
    # 21 of the posts fall inside the 7-day window, the first of them 161 h ago.
    assert abs(health.usual_per_hour - 21 / 161) < 1e-9
    assert health.silent_after == timedelta(hours=32)


def test_scheduler_health_job_raises_alerts_and_survives_errors(
    settings: Settings, engine: Any, session_factory: sessionmaker[Session]
) -> None:
    with session_scope(session_factory) as session:
        source = make_source(session, name="broken")
        _ran(source, failures=3, error="AuthError: token revoked")
    runtime = Runtime(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        keys=derive_keys(settings),
    )
    scheduler = KalkanScheduler(runtime, build_source=None, classifier=KeywordClassifier)  # type: ignore[arg-type]
    scheduler.check_health()
    scheduler.check_health()
    with session_scope(session_factory) as session:
        titles = session.scalars(select(Alert.title).where(Alert.category == "source_health"))
        assert list(titles) == ["Source broken is failing: AuthError: token revoked"]
    engine.dispose()
    broken = Runtime(
        settings=settings,
        engine=engine,
        session_factory=lambda: 1 / 0,
        keys=runtime.keys,  # type: ignore[arg-type]
    )
    KalkanScheduler(broken, build_source=None, classifier=KeywordClassifier).check_health()  # type: ignore[arg-type]


def test_disabling_a_source_closes_its_live_alert(session: Session) -> None:
    source = make_source(session, name="vk-search")
    _ran(source, failures=5, error="AuthError: token revoked")
    (alert,) = raise_health_alerts(session, now=NOW)
    source.enabled = False
    assert raise_health_alerts(session, now=NOW + timedelta(minutes=1)) == []
    assert (alert.status, alert.closed_at) == ("closed", NOW + timedelta(minutes=1))
    assert alert.reason.endswith("closed: source disabled or removed")
    source.enabled = True  # switched back on and still broken: a fresh alert
    (again,) = raise_health_alerts(session, now=NOW + timedelta(minutes=2))
    assert again.id != alert.id and _live(session, source) == [again]


def test_an_acknowledged_alert_of_a_removed_source_is_closed(session: Session) -> None:
    # What a source deleted where foreign keys were not enforced leaves behind.
    orphan = Alert(
        source_id=None,
        category="source_health",
        severity="high",
        status="acknowledged",
        group_key=health_group_key(987654),
        title="Source gone is failing: NotFound",
        reason="3 consecutive failed runs",
        opened_at=NOW - timedelta(days=1),
        last_post_at=NOW - timedelta(days=1),
    )
    session.add(orphan)
    session.flush()
    raise_health_alerts(session, now=NOW)
    assert (orphan.status, orphan.closed_at) == ("closed", NOW)


def test_a_backfilled_slow_feed_is_judged_by_its_published_times(session: Session) -> None:
    # The first run 7 hours ago stored 30 daily posts at once. Measured on collection time,
    # the "usual gap" would be zero and the feed silent after 6 h; its real cadence is a
    # post a day, so it is silent only after 4 days without a new one.
    source = make_source(session)
    _ran(source)
    for day in range(30):
        make_post(
            session,
            source=source,
            posted_at=NOW - timedelta(hours=20) - timedelta(days=day),
            collected_at=NOW - timedelta(hours=7),
        )
    health = _health(session, source)
    assert (health.status, health.silent_after) == ("ok", timedelta(days=4))
    assert health.last_post_at == NOW - timedelta(hours=20)
    assert health.last_ingested_at == NOW - timedelta(hours=7)
    assert abs(health.usual_per_hour - 7 / (6 * 24 + 20)) < 1e-9  # 7 posts in the week
    assert raise_health_alerts(session, now=NOW) == []


def test_succeeding_runs_that_bring_only_old_posts_are_silent(session: Session) -> None:
    source = make_source(session, name="yt-search")
    _ran(source)  # every run succeeds...
    for i in range(20):
        make_post(
            session,
            source=source,
            posted_at=NOW - timedelta(hours=10) - i * timedelta(hours=1),
            collected_at=NOW - timedelta(hours=10) - i * timedelta(hours=1),
        )
    # ...and the newest run stored a post, but one published ten days ago.
    make_post(
        session,
        source=source,
        posted_at=NOW - timedelta(days=10),
        collected_at=NOW - timedelta(minutes=5),
    )
    health = _health(session, source)
    assert (health.status, health.last_post_at) == ("silent", NOW - timedelta(hours=10))
    (alert,) = raise_health_alerts(session, now=NOW)
    assert alert.reason == "no new post for over 6 h"
    # A freshly published post ends the silence and closes the alert.
    make_post(session, source=source, posted_at=NOW, collected_at=NOW + timedelta(minutes=1))
    raise_health_alerts(session, now=NOW + timedelta(minutes=2))
    assert alert.status == "closed"


def test_future_or_missing_published_times_fall_back_to_collection(session: Session) -> None:
    source = make_source(session)
    _ran(source)
    # Hourly posts, the newest 10 h ago: one claims to be from tomorrow (a skewed clock),
    # one carries no date. Neither may hide that nothing new came for 10 hours.
    _steady(session, source, every=timedelta(hours=1), count=10, last=timedelta(hours=11))
    make_post(
        session,
        source=source,
        posted_at=NOW + timedelta(days=1),
        collected_at=NOW - timedelta(hours=10),
    )
    make_post(session, source=source, posted_at=None, collected_at=NOW - timedelta(hours=10))
    health = _health(session, source)
    assert (health.status, health.last_post_at) == ("silent", NOW - timedelta(hours=10))


def test_import_drop_folders_are_never_silent_but_can_fail(session: Session) -> None:
    source = make_source(session, platform="import", config={"path": "/srv/drop"})
    _ran(source)
    # Forwarded chats from a month ago, dropped in two weeks ago; nothing since.
    for i in range(12):
        make_post(
            session,
            source=source,
            posted_at=NOW - timedelta(days=30, minutes=i),
            collected_at=NOW - timedelta(days=14),
        )
    health = _health(session, source)
    assert (health.status, health.silent_after) == ("ok", None)
    assert raise_health_alerts(session, now=NOW) == []
    _ran(source, failures=3, error="NotFound: import path does not exist")
    (alert,) = raise_health_alerts(session, now=NOW + timedelta(minutes=1))
    assert alert.severity == "high"
