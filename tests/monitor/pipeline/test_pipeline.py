"""The pipeline end to end on a real database: ingest, match, classify, alert — and re-runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pipeline_support import NOW, KeywordClassifier, posts
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Alert, AlertPost, Match, Post, Score
from monitor.models import Source as SourceRow
from monitor.pipeline.ingest import ingest
from monitor.pipeline.runner import MatcherCache, run_pipeline
from monitor.security.keys import Keys


def store(factory: sessionmaker[Session], result: object) -> None:
    with session_scope(factory) as session:
        source = session.scalars(select(SourceRow)).one()
        ingest(session, source=source, result=result, now=NOW)  # type: ignore[arg-type]


def run(factory: sessionmaker[Session], settings: Settings, keys: Keys, model: object) -> object:
    return run_pipeline(
        factory,
        settings=settings,
        matchers=MatcherCache(keys),
        classifier=lambda: model,
        now=lambda: NOW,
    )


def count(factory: sessionmaker[Session], model: type) -> int:
    with session_scope(factory) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_ingesting_the_same_page_twice_stores_each_post_once(seeded, settings) -> None:
    store(seeded, posts("первый", "второй"))
    store(seeded, posts("первый", "второй"))
    assert count(seeded, Post) == 2
    with session_scope(seeded) as session:
        assert session.scalars(select(SourceRow)).one().cursor == "cursor-3"


def test_a_threat_and_a_leaked_number_raise_the_right_alerts(seeded, settings, keys) -> None:
    store(
        seeded,
        posts(
            "Айгерим Нурланова, я тебя убью",
            "Номер Нурлановой 8 (701) 555-23-47, звоните все",
            "Марат Ержанов выступил на конференции",
            "Погода в Алматы отличная",
        ),
    )
    model = KeywordClassifier()
    run(seeded, settings, keys, model)
    with session_scope(seeded) as session:
        found = {(a.category, a.severity) for a in session.scalars(select(Alert))}
    assert found == {("threat", "high"), ("doxxing", "critical"), ("incitement", "high")}
    assert sum(model.calls) == 3, "only posts that mention a defender are classified"


def test_running_the_pipeline_again_changes_nothing(seeded, settings, keys) -> None:
    store(seeded, posts("Айгерим Нурланова, я тебя убью"))
    run(seeded, settings, keys, KeywordClassifier())
    before = (
        count(seeded, Match),
        count(seeded, Score),
        count(seeded, Alert),
        count(seeded, AlertPost),
    )
    run(seeded, settings, keys, KeywordClassifier())
    store(seeded, posts("Айгерим Нурланова, я тебя убью"))
    run(seeded, settings, keys, KeywordClassifier())
    after = (
        count(seeded, Match),
        count(seeded, Score),
        count(seeded, Alert),
        count(seeded, AlertPost),
    )
    assert before == after == (1, 1, 1, 1)


def test_posts_about_one_defender_group_into_one_alert(seeded, settings, keys) -> None:
    store(seeded, posts("Айгерим Нурланова, убью", "Нурланова Айгерим, убью тебя", start=1))
    run(seeded, settings, keys, KeywordClassifier())
    store(seeded, posts("Айгерим Нурлановой скажите: убью", start=10))
    run(seeded, settings, keys, KeywordClassifier())
    with session_scope(seeded) as session:
        alert = session.scalars(select(Alert)).one()
    assert (alert.category, alert.post_count, alert.status) == ("threat", 3, "open")


def test_a_crash_mid_stage_loses_and_duplicates_nothing(seeded, settings, keys) -> None:
    store(seeded, posts(*[f"Айгерим Нурланова, убью {i}" for i in range(5)]))
    settings.pipeline_batch_size = 2

    class CrashingOnce(KeywordClassifier):
        def predict(self, texts):  # type: ignore[no-untyped-def]
            if len(self.calls) == 1:
                self.calls.append(-1)
                raise RuntimeError("killed mid-run")
            return super().predict(texts)

    with pytest.raises(RuntimeError):
        run(seeded, settings, keys, CrashingOnce())
    assert count(seeded, Score) == 2, "the first batch was committed before the crash"
    run(seeded, settings, keys, KeywordClassifier())
    assert (count(seeded, Score), count(seeded, AlertPost)) == (5, 5)
    assert count(seeded, Alert) == 1


def test_an_old_group_is_closed_and_a_new_alert_opened(seeded, settings, keys) -> None:
    store(seeded, posts("Айгерим Нурланова, убью"))
    run(seeded, settings, keys, KeywordClassifier())
    later = NOW + timedelta(minutes=settings.alert_group_window_minutes + 1)
    store(seeded, posts("Айгерим Нурланова, снова убью", start=5))
    run_pipeline(
        seeded,
        settings=settings,
        matchers=MatcherCache(keys),
        classifier=KeywordClassifier,
        now=lambda: later,
    )
    with session_scope(seeded) as session:
        statuses = sorted(a.status for a in session.scalars(select(Alert)))
    assert statuses == ["closed", "open"]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script> Айгерим Нурланова",
        "Нурланова Айгерим \x00\ud800 bin\x01",
        "Айгерим Нурланова " + "я" * 1_100_000,
    ],
    ids=["script", "binary", "huge"],
)
def test_hostile_text_is_stored_and_processed(seeded, settings, keys, text) -> None:
    store(seeded, posts(text))
    run(seeded, settings, keys, KeywordClassifier())
    with session_scope(seeded) as session:
        post = session.scalars(select(Post)).one()
        assert post.alerted_at is not None
        assert "\x00" not in post.text
        assert len(post.text) <= 1_000_000
