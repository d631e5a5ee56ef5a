"""The APScheduler job table: one collection job per enabled source, one pipeline job.

A health job raises (and closes) source-health alerts every minute; a recheck job looks
evidence posts up again on their platforms every `recheck_interval_minutes` (its first run
waits one interval, so a restart does not hit the platforms at once). A notify job every
30 s queues and sends alert e-mails and escalates unacknowledged critical alerts (nudged
after a pipeline run that alerted); with SMTP configured, an hourly digest job makes sure
last week's digest has gone out from Monday at KALKAN_DIGEST_HOUR on.
Runs in exactly one process (inside `kalkan serve`/`kalkan demo`). Each source job has
`max_instances=1` (never two runs of one source at once) and coalesces missed runs into
one; the pipeline job drains pending stages and is nudged after every collection.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from classifiers.base import TextClassifier
from classifiers.default import load_default
from monitor.config import Settings
from monitor.db import session_scope
from monitor.digest.service import send_last_week_if_due
from monitor.models import Source as SourceRow
from monitor.notify.round import notify_round
from monitor.pipeline.collect import SourceFactory, collect_source
from monitor.pipeline.recheck import RecheckPolicy, recheck_due
from monitor.pipeline.runner import MatcherCache, run_pipeline
from monitor.runtime import Runtime
from monitor.source.factory import source_factory
from monitor.source.health import raise_health_alerts

logger = logging.getLogger(__name__)

PIPELINE_JOB = "pipeline"
SYNC_JOB = "sync-sources"
HEALTH_JOB = "source-health"
HEALTH_INTERVAL_SECONDS = 60
RECHECK_JOB = "recheck-posts"
NOTIFY_JOB = "notify"
NOTIFY_INTERVAL_SECONDS = 30
DIGEST_JOB = "weekly-digest"


class LazyClassifier:
    """Loads the classifier on first use, once, from any thread."""

    def __init__(self, loader: Callable[[], TextClassifier]) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._model: TextClassifier | None = None

    def __call__(self) -> TextClassifier:
        with self._lock:
            if self._model is None:
                self._model = self._loader()
            return self._model


def shipped_classifier(settings: Settings) -> LazyClassifier:
    """The shipped classifier at the operator's operating point (KALKAN_CLASSIFIER_THRESHOLDS),
    loaded on first use."""
    if settings.classifier_thresholds:
        logger.info("classifier thresholds overridden: %s", settings.classifier_thresholds)
    return LazyClassifier(lambda: load_default(thresholds=settings.classifier_thresholds))


class KalkanScheduler:
    """Owns the background scheduler and the jobs built from the sources table."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        build_source: SourceFactory,
        classifier: Callable[[], TextClassifier],
        pipeline_interval: float = 5.0,
    ) -> None:
        self._runtime = runtime
        self._build_source = build_source
        self._classifier = classifier
        self._matchers = MatcherCache(runtime.keys)
        self._pipeline_interval = pipeline_interval
        self._scheduler = BackgroundScheduler(timezone=UTC)

    def start(self) -> None:
        """Add the jobs and start the scheduler thread."""
        defaults: dict[str, Any] = {"max_instances": 1, "coalesce": True}
        self._scheduler.add_job(
            self.run_pipeline,
            "interval",
            seconds=self._pipeline_interval,
            id=PIPELINE_JOB,
            misfire_grace_time=None,
            **defaults,
        )
        self._scheduler.add_job(
            self.sync_sources,
            "interval",
            seconds=30,
            id=SYNC_JOB,
            misfire_grace_time=None,
            **defaults,
        )
        self._scheduler.add_job(
            self.check_health,
            "interval",
            seconds=HEALTH_INTERVAL_SECONDS,
            id=HEALTH_JOB,
            misfire_grace_time=None,
            **defaults,
        )
        self._scheduler.add_job(
            self.recheck_posts,
            "interval",
            minutes=self._runtime.settings.recheck_interval_minutes,
            id=RECHECK_JOB,
            misfire_grace_time=None,
            **defaults,
        )
        self._add_mail_jobs(defaults)
        self.sync_sources()
        self._scheduler.start()
        logger.info("scheduler started")

    def _add_mail_jobs(self, defaults: dict[str, Any]) -> None:
        """The notify job always (escalations are recorded even without mail); the digest
        job only when an SMTP server is configured and the digest is enabled."""
        self._scheduler.add_job(
            self.notify,
            "interval",
            seconds=NOTIFY_INTERVAL_SECONDS,
            id=NOTIFY_JOB,
            misfire_grace_time=None,
            **defaults,
        )
        settings = self._runtime.settings
        if settings.mail_enabled and settings.digest_enabled:
            self._scheduler.add_job(
                self.send_digest,
                "interval",
                hours=1,
                id=DIGEST_JOB,
                next_run_time=datetime.now(UTC) + timedelta(minutes=1),
                misfire_grace_time=None,
                **defaults,
            )

    def sync_sources(self) -> None:
        """Make the collection jobs match the enabled sources in the database."""
        with session_scope(self._runtime.session_factory) as session:
            wanted = {
                row.name: row.interval_seconds
                for row in session.scalars(select(SourceRow).where(SourceRow.enabled))
            }
        current = {job.id for job in self._scheduler.get_jobs() if job.id.startswith("source:")}
        for job_id in current - {f"source:{name}" for name in wanted}:
            self._scheduler.remove_job(job_id)
        for name, interval in wanted.items():
            if f"source:{name}" not in current:
                self._scheduler.add_job(
                    self.collect,
                    "interval",
                    seconds=max(interval, 1),
                    args=[name],
                    id=f"source:{name}",
                    next_run_time=datetime.now(UTC),
                    max_instances=1,
                    coalesce=True,
                    misfire_grace_time=None,
                )

    def job_ids(self) -> set[str]:
        """The ids of the scheduled jobs (for `kalkan sources list` and tests)."""
        return {job.id for job in self._scheduler.get_jobs()}

    def collect(self, name: str) -> None:
        """Job body: collect one source, then nudge the pipeline. Never raises."""
        try:
            outcome = collect_source(
                self._runtime.session_factory,
                name=name,
                build=self._build_source,
                keys=self._runtime.keys,
            )
        except Exception:
            logger.exception("collection of source %s crashed; will retry next interval", name)
            return
        if outcome.stats and outcome.stats.new and self._scheduler.running:
            self._scheduler.modify_job(PIPELINE_JOB, next_run_time=datetime.now(UTC))

    def run_pipeline(self) -> None:
        """Job body: drain the pipeline stages. Never raises."""
        try:
            stats = run_pipeline(
                self._runtime.session_factory,
                settings=self._runtime.settings,
                matchers=self._matchers,
                classifier=self._classifier,
            )
        except Exception:
            logger.exception("pipeline run failed; pending posts will be retried")
            return
        if stats.alerted and self._scheduler.running:
            self._scheduler.modify_job(NOTIFY_JOB, next_run_time=datetime.now(UTC))

    def notify(self) -> None:
        """Job body: queue and send alert e-mails, escalate overdue critical alerts. Never
        raises (a failed send stays in the outbox for the next run)."""
        try:
            notify_round(
                self._runtime.session_factory,
                settings=self._runtime.settings,
                now=datetime.now(UTC),
            )
        except Exception:
            logger.exception("notification round failed; will retry next interval")

    def send_digest(self) -> None:
        """Job body: send last week's digest to whoever has not had it. Never raises."""
        try:
            send_last_week_if_due(
                self._runtime.session_factory,
                settings=self._runtime.settings,
                now=datetime.now(UTC),
            )
        except Exception:
            logger.exception("weekly digest failed; will retry next hour")

    def check_health(self) -> None:
        """Job body: raise or close source-health alerts. Never raises."""
        try:
            with session_scope(self._runtime.session_factory) as session:
                raise_health_alerts(session, now=datetime.now(UTC))
        except Exception:
            logger.exception("source health check failed; will retry next interval")

    def recheck_posts(self) -> None:
        """Job body: look evidence posts up again, mark the deleted ones. Never raises."""
        try:
            recheck_due(
                self._runtime.session_factory,
                build=self._build_source,
                keys=self._runtime.keys,
                policy=RecheckPolicy.from_settings(self._runtime.settings),
            )
        except Exception:
            logger.exception("recheck of collected posts failed; will retry next interval")

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking new runs and wait for running jobs to finish."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)
            logger.info("scheduler stopped")


def start_scheduler(runtime: Runtime) -> KalkanScheduler:
    """Composition root for the embedded shape: real sources, the shipped classifier."""
    scheduler = KalkanScheduler(
        runtime,
        build_source=source_factory(runtime.settings),
        classifier=shipped_classifier(runtime.settings),
    )
    scheduler.start()
    return scheduler
