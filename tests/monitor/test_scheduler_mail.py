"""The scheduler's mail jobs: notify always, the digest only with an SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from builders import make_alert, make_user
from mail_support import mail_settings
from pipeline_support import KeywordClassifier
from sqlalchemy.orm import Session, sessionmaker
from support.smtp_server import TestSMTPServer

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import utcnow
from monitor.runtime import Runtime
from monitor.scheduler import DIGEST_JOB, NOTIFY_JOB, KalkanScheduler
from monitor.security.keys import derive_keys


@pytest.fixture
def smtp_server() -> Iterator[TestSMTPServer]:
    with TestSMTPServer() as server:
        yield server


def scheduler_for(
    settings: Settings, engine: Any, factory: sessionmaker[Session]
) -> KalkanScheduler:
    runtime = Runtime(
        settings=settings, engine=engine, session_factory=factory, keys=derive_keys(settings)
    )
    return KalkanScheduler(
        runtime,
        build_source=lambda config: None,
        classifier=KeywordClassifier,
        pipeline_interval=3600,
    )


def test_without_smtp_only_the_notify_job_runs(
    settings: Settings, engine: Any, session_factory: sessionmaker[Session]
) -> None:
    scheduler = scheduler_for(settings, engine, session_factory)
    scheduler.start()
    try:
        jobs = scheduler.job_ids()
    finally:
        scheduler.shutdown()
    assert NOTIFY_JOB in jobs and DIGEST_JOB not in jobs


def test_with_smtp_the_jobs_mail_officers(
    settings: Settings,
    engine: Any,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
) -> None:
    config = mail_settings(settings, smtp_server)
    with session_scope(session_factory) as session:
        make_user(session, email="olzhas@kalkan.example")
        now = utcnow()
        alert_id = make_alert(session, severity="high", opened_at=now, last_post_at=now).id
    scheduler = scheduler_for(config, engine, session_factory)
    scheduler.start()
    try:
        assert {NOTIFY_JOB, DIGEST_JOB} <= scheduler.job_ids()
        scheduler.notify()  # the job body, as the scheduler runs it
        scheduler.notify()
    finally:
        scheduler.shutdown()
    [message] = smtp_server.messages
    assert f"https://kalkan.example/alerts/{alert_id}" in message.texts()[0]
