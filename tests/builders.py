"""Typed test builders: each adds one fictional row (with sensible defaults) and flushes.

Every keyword a model accepts can be overridden; related rows are created when not given.
All people here are fictional.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from monitor.models import Alert, AlertPost, Defender, Match, Post, Score, Source, User
from monitor.security.keys import Keys
from monitor.security.passwords import hash_password
from monitor.user.service import create_api_token

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)
LABELS = ("threat", "incitement", "insult", "identity_attack", "sexual_harassment")
_ids = itertools.count(1)
_password_hashes: dict[str, str] = {}


def _hash(password: str) -> str:
    """Argon2 is slow on purpose; tests reuse one hash per password."""
    if password not in _password_hashes:
        _password_hashes[password] = hash_password(password)
    return _password_hashes[password]


def _save(session: Session, row: Any) -> Any:
    session.add(row)
    session.flush()
    return row


def make_user(
    session: Session, *, password: str = "correct horse battery", **overrides: Any
) -> User:
    """An active officer (password: "correct horse battery" unless given)."""
    n = next(_ids)
    fields: dict[str, Any] = {
        "username": f"officer{n}",
        "display_name": f"Officer {n}",
        "role": "officer",
        "is_active": True,
        "password_hash": _hash(password),
    }
    return _save(session, User(**(fields | overrides)))


def make_defender(session: Session, **overrides: Any) -> Defender:
    """A fictional, consenting, active defender."""
    n = next(_ids)
    fields: dict[str, Any] = {
        "slug": f"defender-{n}",
        "display_name": f"Айгуль Тестова {n}",
        "country": "KZ",
        "consent_at": NOW - timedelta(days=30),
    }
    return _save(session, Defender(**(fields | overrides)))


def make_source(session: Session, **overrides: Any) -> Source:
    """An enabled RSS source pointing at a local address."""
    n = next(_ids)
    fields: dict[str, Any] = {
        "name": f"source-{n}",
        "platform": "rss",
        "config": {"url": f"http://127.0.0.1:9/feed-{n}.xml"},
    }
    return _save(session, Source(**(fields | overrides)))


def make_post(session: Session, *, source: Source | None = None, **overrides: Any) -> Post:
    """A collected post (a source is created when not given)."""
    n = next(_ids)
    source = source or make_source(session)
    fields: dict[str, Any] = {
        "source_id": source.id,
        "external_id": f"post-{n}",
        "url": f"https://example.org/posts/{n}",
        "author": f"author{n}",
        "posted_at": NOW,
        "collected_at": NOW,
        "text": f"A fictional post number {n}.",
        "content_hash": f"{n:064d}",
    }
    return _save(session, Post(**(fields | overrides)))


def make_score(session: Session, *, post: Post, **overrides: Any) -> Score:
    """A classifier score for a post (all labels low unless overridden)."""
    fields: dict[str, Any] = dict.fromkeys(LABELS, 0.05) | {
        "post_id": post.id,
        "model_version": "test-1",
        "lang": "ru",
        "flagged": [],
        "explanations": {},
        "scored_at": NOW,
    }
    return _save(session, Score(**(fields | overrides)))


def make_match(session: Session, *, post: Post, defender: Defender, **overrides: Any) -> Match:
    """A name match covering the first five characters unless overridden."""
    fields: dict[str, Any] = {
        "post_id": post.id,
        "defender_id": defender.id,
        "kind": "name",
        "start": 0,
        "end": 5,
    }
    fields |= overrides
    if "surface" not in fields:
        fields["surface"] = post.text[fields["start"] : fields["end"]]
    return _save(session, Match(**fields))


def make_alert(
    session: Session,
    *,
    defender: Defender | None = None,
    posts: Sequence[Post] = (),
    severity: str = "high",
    **overrides: Any,
) -> Alert:
    """A live alert grouping `posts` (added in order; the last is the latest)."""
    defender = defender or make_defender(session)
    category = overrides.pop("category", "threat")
    at = overrides.pop("last_post_at", NOW)
    fields: dict[str, Any] = {
        "defender_id": defender.id,
        "category": category,
        "severity": severity,
        "status": "open",
        "group_key": f"{defender.id}:{category}:{next(_ids)}",
        "title": f"Threats — {defender.display_name}",
        "reason": "threat above threshold",
        "post_count": len(posts),
        "opened_at": at,
        "last_post_at": at,
    }
    alert = _save(session, Alert(**(fields | overrides)))
    for i, post in enumerate(posts):
        link = AlertPost(
            alert_id=alert.id,
            post_id=post.id,
            severity=severity,
            reason="threat above threshold",
            added_at=at - timedelta(seconds=len(posts) - i),
        )
        session.add(link)
    session.flush()
    return alert


@dataclass(frozen=True)
class Credentials:
    """A user's id, login and bearer token, for web and API tests."""

    user_id: int
    username: str
    password: str
    token: str


def make_user_with_token(
    session: Session, *, keys: Keys, password: str = "correct horse battery", **overrides: Any
) -> Credentials:
    """A user (officer unless overridden) with an API token; returns what a client needs."""
    user = make_user(session, password=password, **overrides)
    _, token = create_api_token(session, user=user, name="test", keys=keys)
    return Credentials(user.id, user.username, password, token)
