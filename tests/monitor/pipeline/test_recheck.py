"""Deletion recheck end to end: fake platforms on 127.0.0.1, a real database (both dialects)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pytest
from builders import NOW, make_alert, make_defender, make_match, make_post
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.http_server import Reply, TestHTTPServer
from support.platforms import FAKES, BlueskyFake, FakePlatform, MastodonFake

from monitor.db import session_scope
from monitor.models import AuditEvent, Post
from monitor.models import Source as SourceRow
from monitor.pipeline.recheck import DELETED_ACTION, RecheckOutcome, RecheckPolicy, recheck_due
from monitor.security.keys import Keys
from monitor.source.service import upsert_sources
from sources._http import HttpOptions
from sources.ratelimit import HostLimiter
from sources.registry import build_source, validate_config

POLICY = RecheckPolicy(window=timedelta(days=30), every=timedelta(hours=12), batch=25)
Factory = sessionmaker[Session]


def quick_http() -> HttpOptions:
    """Real HTTP, no real waiting: retries and limiter sleeps are recorded, not slept."""
    slept: list[float] = []
    return HttpOptions(
        connect_timeout=2.0,
        read_timeout=2.0,
        sleep=slept.append,
        limiter=HostLimiter(sleep=slept.append),
    )


def add_source(factory: Factory, keys: Keys, fake: FakePlatform, name: str = "src") -> int:
    """Store the fake's source the way `kalkan sources add` does (credentials sealed)."""
    entry = fake.config(name)
    with session_scope(factory) as session:
        [row] = upsert_sources(session, entries=[entry], validate=validate_config, keys=keys)
        return row.id


def add_evidence(
    factory: Factory, source_id: int, external_id: str, *, in_alert: bool = True, **post: Any
) -> int:
    """A collected post that matched a defender, grouped into an alert unless told not to."""
    with session_scope(factory) as session:
        source = session.get(SourceRow, source_id)
        fields = {"collected_at": NOW - timedelta(days=1), "raw": {"kept": "as collected"}}
        row = make_post(session, source=source, external_id=external_id, **(fields | post))
        defender = make_defender(session)
        make_match(session, post=row, defender=defender)
        if in_alert:
            make_alert(session, defender=defender, posts=[row])
        return row.id


def run(factory: Factory, keys: Keys, **kwargs: Any) -> list[RecheckOutcome]:
    build = partial(build_source, http_options=quick_http())
    return recheck_due(factory, build=build, keys=keys, policy=POLICY, now=lambda: NOW, **kwargs)


def post_state(factory: Factory) -> dict[str, tuple[datetime | None, datetime | None, str, Any]]:
    """external id -> (deleted_at, checked_at, text, raw)."""
    with session_scope(factory) as session:
        return {
            p.external_id: (p.deleted_at, p.checked_at, p.text, p.raw)
            for p in session.scalars(select(Post))
        }


@pytest.mark.parametrize("platform", sorted(FAKES))
def test_deleted_posts_are_marked_audited_and_keep_their_evidence(
    platform: str, session_factory: Factory, keys: Keys, http_server: TestHTTPServer
) -> None:
    fake = FAKES[platform](http_server)
    ids = [fake.publish(n) for n in (1, 2, 3)]
    fake.delete(ids[1])
    source_id = add_source(session_factory, keys, fake)
    post_ids = [add_evidence(session_factory, source_id, i, text=f"Threat {i}") for i in ids]
    [outcome] = run(session_factory, keys)
    assert (outcome.asked, outcome.gone, outcome.present, outcome.error) == (3, 1, 2, None)
    state = post_state(session_factory)
    assert state[ids[1]] == (NOW, NOW, f"Threat {ids[1]}", {"kept": "as collected"})
    assert state[ids[0]][:2] == (None, NOW) and state[ids[2]][:2] == (None, NOW)
    with session_scope(session_factory) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == DELETED_ACTION))
        assert [(e.target_id, e.actor_id, e.detail) for e in events] == [
            (str(post_ids[1]), None, {"source": "src", "external_id": ids[1]})
        ]
    assert run(session_factory, keys)[0].asked == 0  # checked a moment ago: not due again


def test_only_due_evidence_is_asked_for_oldest_checked_first(
    session_factory: Factory, keys: Keys, http_server: TestHTTPServer
) -> None:
    fake = MastodonFake(http_server)
    source_id = add_source(session_factory, keys, fake)
    ids = {name: fake.publish(n) for n, name in enumerate("abcdefg")}
    add_evidence(session_factory, source_id, ids["a"], checked_at=NOW - timedelta(days=2))
    add_evidence(session_factory, source_id, ids["b"], in_alert=False)  # matched: evidence too
    add_evidence(session_factory, source_id, ids["c"], checked_at=NOW - timedelta(days=3))
    add_evidence(session_factory, source_id, ids["d"], checked_at=NOW - timedelta(hours=1))
    add_evidence(session_factory, source_id, ids["e"], collected_at=NOW - timedelta(days=40))
    add_evidence(session_factory, source_id, ids["f"], deleted_at=NOW - timedelta(days=2))
    with session_scope(session_factory) as session:
        source = session.get(SourceRow, source_id)
        make_post(session, source=source, external_id=ids["g"])  # no match: not evidence
    policy = RecheckPolicy(window=POLICY.window, every=POLICY.every, batch=3)
    build = partial(build_source, http_options=quick_http())
    [outcome] = recheck_due(session_factory, build=build, keys=keys, policy=policy, now=lambda: NOW)
    asked = [r.path.rsplit("/", 1)[1] for r in http_server.requests]
    assert asked == [ids["b"], ids["c"], ids["a"]]  # never checked, then the oldest checks
    assert outcome.asked == 3 and outcome.present == 3


@pytest.mark.parametrize(
    ("fake_class", "failing", "times", "error"),
    [
        (MastodonFake, Reply.json({"error": "Too many requests"}, status=429), 1, "RateLimited"),
        (BlueskyFake, Reply(status=503), 3, "TransientError"),  # retried twice, then given up
    ],
    ids=["mastodon-429", "bluesky-503"],
)
def test_a_throttled_or_failing_platform_leaves_posts_for_later(
    fake_class: type[FakePlatform],
    failing: Reply,
    times: int,
    error: str,
    session_factory: Factory,
    keys: Keys,
    http_server: TestHTTPServer,
) -> None:
    fake = fake_class(http_server)
    ids = [fake.publish(n) for n in (1, 2)]
    fake.delete(ids[0])
    source_id = add_source(session_factory, keys, fake)
    for external_id in ids:
        add_evidence(session_factory, source_id, external_id)
    fake.fail_next(failing, times=times)
    [outcome] = run(session_factory, keys)
    assert outcome.error is not None and outcome.error.startswith(f"{error}:")
    assert (outcome.gone, outcome.present, outcome.unchecked) == (0, 0, 2)
    assert all(state[:2] == (None, None) for state in post_state(session_factory).values())
    with session_scope(session_factory) as session:
        assert session.scalars(select(AuditEvent)).all() == []
    [retried] = run(session_factory, keys)
    assert (retried.gone, retried.present, retried.error) == (1, 1, None)  # finished later


def test_sources_that_cannot_recheck_now_are_left_alone(
    session_factory: Factory, keys: Keys, http_server: TestHTTPServer
) -> None:
    fake = MastodonFake(http_server)
    external_id = fake.publish(1)
    for name in ("backing-off", "disabled", "ok"):
        add_evidence(session_factory, add_source(session_factory, keys, fake, name), external_id)
    with session_scope(session_factory) as session:
        rss = SourceRow(name="news", platform="rss", config={"url": f"{http_server.url}/f.xml"})
        session.add(rss)
        session.flush()
        rss_id = rss.id
    add_evidence(session_factory, rss_id, "https://news.example/1")
    with session_scope(session_factory) as session:
        rows = {r.name: r for r in session.scalars(select(SourceRow))}
        rows["backing-off"].next_run_not_before = NOW + timedelta(minutes=5)
        rows["disabled"].enabled = False
    assert [o.source for o in run(session_factory, keys)] == ["ok"]
    assert len(http_server.requests) == 1
