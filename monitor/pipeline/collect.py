"""Collect one source: fetch outside any transaction, then store posts + cursor atomically.

Failures are recorded on the source row (last error, consecutive failures, when to try
again) for the operator; transient ones back off exponentially, a rate limit waits for the
platform's own reset, and nothing is stored from a failed fetch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.db import session_scope
from monitor.models import Source as SourceRow
from monitor.models import utcnow
from monitor.pipeline.ingest import IngestStats, ingest
from monitor.security.keys import Keys
from monitor.source.service import source_config
from sources.base import Source
from sources.errors import RateLimited, SourceError, TransientError
from sources.post import FetchResult

logger = logging.getLogger(__name__)

SourceFactory = Callable[[dict[str, Any]], Source]
MAX_BACKOFF = timedelta(hours=1)
MAX_RATE_LIMIT_WAIT = timedelta(hours=26)


@dataclass(frozen=True, slots=True)
class CollectOutcome:
    """What one collection run did, for the log line and `kalkan collect`."""

    source: str
    stats: IngestStats | None
    posts: list[Any]
    error: str | None = None
    skipped: bool = False


def collect_source(
    factory: sessionmaker[Session],
    *,
    name: str,
    build: SourceFactory,
    keys: Keys,
    now: Callable[[], datetime] = utcnow,
    force: bool = False,
) -> CollectOutcome:
    """Run one fetch of the named source and store what is new."""
    with session_scope(factory) as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).one()
        config, cursor = source_config(row, keys=keys), row.cursor
        waiting = row.next_run_not_before
    if not force and waiting is not None and now() < waiting:
        return CollectOutcome(name, None, [], skipped=True)
    try:
        source = build(config)
        try:
            result = source.fetch(cursor)
        finally:
            source.close()
    except SourceError as exc:
        _record_failure(factory, name=name, error=exc, now=now())
        return CollectOutcome(name, None, [], error=str(exc))
    stats = _store(factory, name=name, result=result, now=now())
    logger.info(
        "source %s: %d new, %d edited, %d known", name, stats.new, stats.edited, stats.known
    )
    return CollectOutcome(name, stats, result.posts)


def _store(
    factory: sessionmaker[Session], *, name: str, result: FetchResult, now: datetime
) -> IngestStats:
    with session_scope(factory) as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).one()
        stats = ingest(session, source=row, result=result, now=now)
        row.last_run_at = row.last_success_at = now
        row.consecutive_failures = 0
        row.next_run_not_before = None
        row.last_error = None
    return stats


def _record_failure(
    factory: sessionmaker[Session], *, name: str, error: SourceError, now: datetime
) -> None:
    with session_scope(factory) as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).one()
        row.last_run_at = row.last_error_at = now
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.consecutive_failures += 1
        row.next_run_not_before = now + _backoff(row, error)
    level = logging.WARNING if isinstance(error, TransientError) else logging.ERROR
    logger.log(
        level,
        "source %s failed (%s); next try not before %s",
        name,
        row.last_error,
        row.next_run_not_before,
    )


def _backoff(row: SourceRow, error: SourceError) -> timedelta:
    if isinstance(error, RateLimited) and error.retry_after:
        # The platform said when (a daily quota may reset many hours away): believe it.
        return timedelta(seconds=min(error.retry_after, MAX_RATE_LIMIT_WAIT.total_seconds()))
    exponent = min(row.consecutive_failures - 1, 8)
    return min(timedelta(seconds=row.interval_seconds) * (2**exponent), MAX_BACKOFF)
