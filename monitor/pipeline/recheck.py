"""Look evidence posts up again on their platform; mark those deleted there, keep their text.

Harassers delete posts once people notice. Kalkan keeps what it collected; this stage
records *that* a post disappeared and when it was first found gone, so an officer can say
"it was deleted" with the evidence still in hand.

Which posts: those that matter as evidence (matched to a defender, or grouped into an
alert), collected within the policy's window, not yet marked deleted and not looked up
within `every`; per source, oldest-checked first, at most `batch` posts a run. Only
sources whose platform can look posts up by id take part (`Source.can_recheck`), and a
source in back-off after a failed collection is left alone.

Like collection: the due posts are read in one unit of work, the platform is asked outside
any transaction (its limits are the source's client's: host limiter, Retry-After), and the
answer is stored in another. A post the platform could not be asked about (throttling, an
outage) is left untouched for a later run. A deleted post gets `deleted_at` and an audit
event; its text and raw payload are not touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.audit.service import record_event
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import AlertPost, Match, Post, utcnow
from monitor.models import Source as SourceRow
from monitor.pipeline.collect import SourceFactory
from monitor.security.keys import Keys
from monitor.source.service import source_config
from sources.errors import SourceError, TransientError
from sources.recheck import RecheckResult
from sources.registry import recheck_platforms

logger = logging.getLogger(__name__)

DELETED_ACTION = "post.deleted_on_platform"


@dataclass(frozen=True, slots=True)
class RecheckPolicy:
    """How far back, how often and how many posts per source a run rechecks."""

    window: timedelta = timedelta(days=30)
    every: timedelta = timedelta(hours=12)
    batch: int = 25

    @classmethod
    def from_settings(cls, settings: Settings) -> RecheckPolicy:
        """The policy an operator configured (`KALKAN_RECHECK_*`)."""
        return cls(
            window=timedelta(days=settings.recheck_window_days),
            every=timedelta(hours=settings.recheck_every_hours),
            batch=settings.recheck_batch_size,
        )


@dataclass(frozen=True, slots=True)
class RecheckOutcome:
    """What one source's recheck did, for the log line and `kalkan sources recheck`."""

    source: str
    asked: int
    gone: int = 0
    present: int = 0
    error: str | None = None

    @property
    def unchecked(self) -> int:
        """Posts left as they were, for a later run."""
        return self.asked - self.gone - self.present


def due_posts(
    session: Session, *, source_id: int, policy: RecheckPolicy, now: datetime
) -> list[tuple[int, str]]:
    """(post id, external id) of the source's evidence posts due a recheck, oldest-checked first."""
    evidence = or_(
        exists().where(Match.post_id == Post.id), exists().where(AlertPost.post_id == Post.id)
    )
    query = (
        select(Post.id, Post.external_id)
        .where(
            Post.source_id == source_id,
            Post.deleted_at.is_(None),
            Post.collected_at >= now - policy.window,
            or_(Post.checked_at.is_(None), Post.checked_at <= now - policy.every),
            evidence,
        )
        .order_by(Post.checked_at.asc().nulls_first(), Post.collected_at, Post.id)
        .limit(policy.batch)
    )
    return [(post_id, external_id) for post_id, external_id in session.execute(query)]


def recheckable_sources(
    session: Session, *, now: datetime, platforms: frozenset[str] | None = None
) -> list[str]:
    """Enabled sources on a platform that can recheck, not in back-off, by name."""
    query = (
        select(SourceRow.name)
        .where(
            SourceRow.enabled,
            SourceRow.platform.in_(sorted(platforms or recheck_platforms())),
            or_(SourceRow.next_run_not_before.is_(None), SourceRow.next_run_not_before <= now),
        )
        .order_by(SourceRow.name)
    )
    return list(session.scalars(query))


def recheck_source(
    factory: sessionmaker[Session],
    *,
    name: str,
    build: SourceFactory,
    keys: Keys,
    policy: RecheckPolicy,
    now: Callable[[], datetime] = utcnow,
) -> RecheckOutcome:
    """Recheck one source's due posts and store what the platform said."""
    with session_scope(factory) as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).one()
        config = source_config(row, keys=keys)
        due = due_posts(session, source_id=row.id, policy=policy, now=now())
    if not due:
        return RecheckOutcome(name, 0)
    asked = [external_id for _, external_id in due]
    try:
        source = build(config)
        try:
            result = source.recheck(asked)
        finally:
            source.close()
    except SourceError as exc:  # e.g. a config that no longer builds
        result = RecheckResult(error=exc)
    _store(factory, name=name, due=due, result=result, now=now())
    return _outcome(name, asked, result)


def recheck_due(
    factory: sessionmaker[Session],
    *,
    build: SourceFactory,
    keys: Keys,
    policy: RecheckPolicy,
    now: Callable[[], datetime] = utcnow,
    progress: Callable[[RecheckOutcome], None] | None = None,
    only: str | None = None,
) -> list[RecheckOutcome]:
    """Recheck every eligible source (or only the one named), one after the other."""
    with session_scope(factory) as session:
        names = recheckable_sources(session, now=now())
    outcomes = []
    for name in names:
        if only is not None and name != only:
            continue
        outcome = recheck_source(factory, name=name, build=build, keys=keys, policy=policy, now=now)
        if progress is not None:
            progress(outcome)
        outcomes.append(outcome)
    return outcomes


def _store(
    factory: sessionmaker[Session],
    *,
    name: str,
    due: Sequence[tuple[int, str]],
    result: RecheckResult,
    now: datetime,
) -> None:
    """Mark gone posts deleted (audited) and stamp every answered post as checked."""
    answered = {pid for pid, ext in due if ext in result.gone or ext in result.present}
    if not answered:
        return
    with session_scope(factory) as session:
        for post in session.scalars(select(Post).where(Post.id.in_(sorted(answered)))):
            post.checked_at = now
            if post.external_id in result.gone and post.deleted_at is None:
                post.deleted_at = now
                record_event(
                    session,
                    actor=None,
                    action=DELETED_ACTION,
                    target_type="post",
                    target_id=post.id,
                    detail={"source": name, "external_id": post.external_id},
                    now=now,
                )


def _outcome(name: str, asked: list[str], result: RecheckResult) -> RecheckOutcome:
    error = f"{type(result.error).__name__}: {result.error}" if result.error else None
    outcome = RecheckOutcome(name, len(asked), len(result.gone), len(result.present), error)
    if result.error is not None:
        level = logging.WARNING if isinstance(result.error, TransientError) else logging.ERROR
        logger.log(level, "recheck of source %s stopped (%s)", name, error)
    logger.info(
        "recheck of source %s: %d asked, %d gone, %d still there, %d left for later",
        name,
        outcome.asked,
        outcome.gone,
        outcome.present,
        outcome.unchecked,
    )
    return outcome
