"""Run the stages after ingest until no post is pending; each batch is its own transaction."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from classifiers.base import TextClassifier
from monitor.config import Settings
from monitor.db import session_scope
from monitor.defender.service import load_profiles, profiles_fingerprint
from monitor.matching.engine import Matcher
from monitor.models import utcnow
from monitor.pipeline.alert import alert_pending
from monitor.pipeline.classify import classify_pending
from monitor.pipeline.match import match_pending
from monitor.security.keys import Keys

logger = logging.getLogger(__name__)


class MatcherCache:
    """Rebuilds the matcher only when defenders' names or contact details changed."""

    def __init__(self, keys: Keys) -> None:
        self._keys = keys
        self._lock = threading.Lock()
        self._fingerprint: str | None = None
        self._matcher: Matcher | None = None

    def get(self, session: Session) -> Matcher:
        """The matcher for the defenders currently in the database."""
        fingerprint = profiles_fingerprint(session)
        with self._lock:
            if self._matcher is None or fingerprint != self._fingerprint:
                self._matcher = Matcher.build(load_profiles(session, keys=self._keys))
                self._fingerprint = fingerprint
            return self._matcher


@dataclass
class PipelineStats:
    """Posts processed by each stage in one run."""

    matched: int = 0
    classified: int = 0
    alerted: int = 0
    stages: list[str] = field(default_factory=list)


def run_pipeline(
    factory: sessionmaker[Session],
    *,
    settings: Settings,
    matchers: MatcherCache,
    classifier: Callable[[], TextClassifier],
    now: Callable[[], datetime] = utcnow,
) -> PipelineStats:
    """Drain every stage; safe to run again at any time (and after any crash)."""
    stats = PipelineStats()
    limit = settings.pipeline_batch_size
    stats.matched = _drain(
        factory, lambda s: match_pending(s, matcher=matchers.get(s), limit=limit, now=now()), limit
    )
    stats.classified = _drain(
        factory,
        lambda s: classify_pending(s, classifier=classifier(), limit=limit, now=now()),
        limit,
    )
    stats.alerted = _drain(
        factory, lambda s: alert_pending(s, settings=settings, limit=limit, now=now()), limit
    )
    if stats.matched or stats.alerted:
        logger.info(
            "pipeline: %d matched, %d classified, %d alerted",
            stats.matched,
            stats.classified,
            stats.alerted,
        )
    return stats


def _drain(factory: sessionmaker[Session], step: Callable[[Session], int], limit: int) -> int:
    """Run one stage batch after batch, each committed alone, until a batch comes up short."""
    total = 0
    while True:
        with session_scope(factory) as session:
            done = step(session)
        total += done
        if done < limit:
            return total
