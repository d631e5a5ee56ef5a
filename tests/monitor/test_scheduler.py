"""The scheduler: one job per enabled source, never two runs of a source at once, clean stop."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pipeline_support import KeywordClassifier
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Source as SourceRow
from monitor.runtime import Runtime
from monitor.scheduler import RECHECK_JOB, KalkanScheduler
from monitor.security.keys import derive_keys
from sources.post import FetchResult


class SlowSource:
    """A real (if tiny) source plugin whose fetch takes a while and records overlaps."""

    active = 0
    max_active = 0
    runs = 0
    lock = threading.Lock()

    def __init__(self, config: dict[str, Any]) -> None:
        self.name, self.platform = config["name"], config["platform"]

    def fetch(self, cursor: str | None) -> FetchResult:
        with SlowSource.lock:
            SlowSource.active += 1
            SlowSource.runs += 1
            SlowSource.max_active = max(SlowSource.max_active, SlowSource.active)
        time.sleep(0.6)
        with SlowSource.lock:
            SlowSource.active -= 1
        return FetchResult(posts=[], cursor=cursor)

    def close(self) -> None:
        return None


def runtime_for(settings: Settings, engine: Any, factory: sessionmaker[Session]) -> Runtime:
    return Runtime(
        settings=settings, engine=engine, session_factory=factory, keys=derive_keys(settings)
    )


def test_a_source_never_runs_twice_at_once_and_shutdown_waits(
    settings: Settings, engine: Any, session_factory: sessionmaker[Session]
) -> None:
    with session_scope(session_factory) as session:
        session.add(SourceRow(name="slow", platform="test", interval_seconds=1))
        session.add(SourceRow(name="off", platform="test", enabled=False))
    scheduler = KalkanScheduler(
        runtime_for(settings, engine, session_factory),
        build_source=SlowSource,
        classifier=KeywordClassifier,
        pipeline_interval=0.2,
    )
    scheduler.start()
    jobs = scheduler.job_ids()
    assert "source:slow" in jobs and "source:off" not in jobs
    time.sleep(2.5)
    scheduler.shutdown(wait=True)
    assert SlowSource.runs >= 2
    assert SlowSource.max_active == 1
    assert SlowSource.active == 0, "shutdown waited for the running fetch"


def test_sync_follows_sources_enabled_and_disabled_at_run_time(
    settings: Settings, engine: Any, session_factory: sessionmaker[Session]
) -> None:
    scheduler = KalkanScheduler(
        runtime_for(settings, engine, session_factory),
        build_source=SlowSource,
        classifier=KeywordClassifier,
    )
    scheduler.start()
    try:
        with session_scope(session_factory) as session:
            session.add(SourceRow(name="late", platform="test", interval_seconds=60))
        scheduler.sync_sources()
        assert "source:late" in scheduler.job_ids()
        with session_scope(session_factory) as session:
            session.execute(update(SourceRow).where(SourceRow.name == "late").values(enabled=False))
        scheduler.sync_sources()
        assert "source:late" not in scheduler.job_ids()
    finally:
        scheduler.shutdown()


def test_the_recheck_job_is_scheduled_late_and_survives_errors(
    settings: Settings, engine: Any, session_factory: sessionmaker[Session]
) -> None:
    runtime = runtime_for(settings, engine, session_factory)
    scheduler = KalkanScheduler(runtime, build_source=SlowSource, classifier=KeywordClassifier)
    scheduler.start()
    try:
        job = scheduler._scheduler.get_job(RECHECK_JOB)
        wait = job.next_run_time - datetime.now(UTC)
        assert wait > timedelta(minutes=settings.recheck_interval_minutes - 1)  # not at start
    finally:
        scheduler.shutdown()
    broken = Runtime(
        settings=settings,
        engine=engine,
        session_factory=lambda: 1 / 0,  # type: ignore[arg-type]
        keys=runtime.keys,
    )
    KalkanScheduler(broken, build_source=SlowSource, classifier=KeywordClassifier).recheck_posts()
