"""Pipeline fixtures: fictional defenders in the database and a transparent test classifier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

import pytest
from sqlalchemy.orm import Session, sessionmaker

from classifiers.base import LABELS, Prediction
from monitor.config import Settings
from monitor.db import session_scope
from monitor.defender.service import register_defenders
from monitor.matching.types import DefenderProfile
from monitor.models import Source as SourceRow
from monitor.security.keys import Keys, derive_keys
from sources.post import FetchResult, Post

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)

DEFENDERS = [
    DefenderProfile(
        id="aigerim",
        name="Айгерим Нурланова",
        gender="female",
        phones=("+7 701 555 23 47",),
        country="KZ",
    ),
    DefenderProfile(id="marat", name="Марат Ержанов", gender="male", country="KZ"),
]


class KeywordClassifier:
    """A transparent stand-in for the model: flags a label when its keyword appears.

    The real classifier is tested in tests/classifiers; here the pipeline's own logic
    (which posts get scored, how scores become alerts) is under test.
    """

    model_version = "keyword-test-1"
    thresholds: ClassVar[dict[str, float]] = dict.fromkeys(LABELS, 0.5)
    KEYWORDS: ClassVar[dict[str, str]] = {
        "убью": "threat",
        "звоните": "incitement",
        "дура": "insult",
    }

    def __init__(self) -> None:
        self.calls: list[int] = []

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        self.calls.append(len(texts))
        results = []
        for text in texts:
            hits = {label for word, label in self.KEYWORDS.items() if word in text.lower()}
            scores = {label: (0.8 if label in hits else 0.05) for label in LABELS}
            results.append(Prediction(lang="ru", scores=scores, flagged=tuple(sorted(hits))))
        return results


@pytest.fixture
def keys(settings: Settings) -> Keys:
    return derive_keys(settings)


@pytest.fixture
def seeded(session_factory: sessionmaker[Session], keys: Keys) -> sessionmaker[Session]:
    """The database with two fictional defenders and one RSS source row."""
    with session_scope(session_factory) as session:
        register_defenders(session, profiles=DEFENDERS, keys=keys, now=NOW)
        session.add(SourceRow(name="feed", platform="rss", config={"url": "http://x/"}))
    return session_factory


def posts(*texts: str, start: int = 1) -> FetchResult:
    """A fetch result with one post per text, ids counting from `start`."""
    items = [
        Post(source="feed", platform="rss", external_id=f"p{start + i}", text=text, created_at=NOW)
        for i, text in enumerate(texts)
    ]
    return FetchResult(posts=items, cursor=f"cursor-{start + len(texts)}")
