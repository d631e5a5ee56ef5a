"""What ingest keeps about a known post: its earlier texts, and a deletion mark it outlived."""

from __future__ import annotations

from datetime import timedelta

from pipeline_support import NOW, posts
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.db import session_scope
from monitor.models import AuditEvent, Post
from monitor.models import Source as SourceRow
from monitor.pipeline.ingest import ingest
from sources.post import FetchResult

DELETED_AT = NOW - timedelta(days=1)


def store(factory: sessionmaker[Session], result: FetchResult, *, at: timedelta) -> None:
    with session_scope(factory) as session:
        source = session.scalars(select(SourceRow)).one()
        ingest(session, source=source, result=result, now=NOW + at)


def the_post(factory: sessionmaker[Session]) -> Post:
    with session_scope(factory) as session:
        post = session.scalars(select(Post)).one()
        session.expunge(post)
        return post


def reappearances(factory: sessionmaker[Session]) -> list[str | None]:
    with session_scope(factory) as session:
        query = select(AuditEvent).where(AuditEvent.action == "post.reappeared_on_platform")
        return [event.target_id for event in session.scalars(query)]


def test_a_deleted_post_collected_again_keeps_its_mark_and_notes_the_return(
    seeded: sessionmaker[Session],
) -> None:
    store(seeded, posts("Айгерим Нурланова, жди гостей"), at=timedelta(0))
    with session_scope(seeded) as session:
        session.scalars(select(Post)).one().deleted_at = DELETED_AT
    store(seeded, posts("Айгерим Нурланова, жди гостей"), at=timedelta(hours=2))
    store(seeded, posts("Айгерим Нурланова, жди гостей"), at=timedelta(hours=3))
    post = the_post(seeded)
    assert post.deleted_at == DELETED_AT
    assert post.raw["reappeared_at"] == (NOW + timedelta(hours=2)).isoformat()
    assert reappearances(seeded) == [str(post.id)]  # once, not at every collection


def test_an_edit_keeps_earlier_texts_and_the_reappearance(
    seeded: sessionmaker[Session],
) -> None:
    store(seeded, posts("first text"), at=timedelta(0))
    with session_scope(seeded) as session:
        session.scalars(select(Post)).one().deleted_at = DELETED_AT
    store(seeded, posts("second text"), at=timedelta(hours=1))
    store(seeded, posts("third text"), at=timedelta(hours=2))
    post = the_post(seeded)
    assert post.text == "third text" and post.edited
    assert [v["text"] for v in post.raw["previous_versions"]] == ["first text", "second text"]
    assert post.raw["reappeared_at"] == (NOW + timedelta(hours=1)).isoformat()
    assert post.deleted_at == DELETED_AT
