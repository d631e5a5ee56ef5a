"""Collected posts and what the pipeline learned about them (matches, scores).

Each stage stamps the post when its unit of work commits (`matched_at`, `classified_at`,
`alerted_at`), so a stage re-run after a crash picks up exactly the posts it has not done.

`deleted_at` is when a recheck found the post gone from the platform and `checked_at` when
one last looked; the text and raw payload stay as collected (they are the evidence).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitor.models.base import Base, JSONType


class Post(Base):
    """A public post as collected; text is attacker-controlled and rendered inert."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        Index("ix_posts_pending_match", "matched_at"),
        Index("ix_posts_pending_classify", "classified_at"),
        Index("ix_posts_pending_alert", "alerted_at"),
        Index("ix_posts_recheck", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"))
    external_id: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(300))
    reach: Mapped[int | None]
    posted_at: Mapped[datetime | None]
    collected_at: Mapped[datetime] = mapped_column(index=True)
    lang: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    edited: Mapped[bool] = mapped_column(default=False)
    deleted_at: Mapped[datetime | None]  # found gone from the platform (first noticed)
    checked_at: Mapped[datetime | None]  # last looked up on the platform by a recheck
    matched_at: Mapped[datetime | None]
    classified_at: Mapped[datetime | None]
    alerted_at: Mapped[datetime | None]

    matches: Mapped[list[Match]] = relationship(back_populates="post", lazy="raise")
    scores: Mapped[list[Score]] = relationship(back_populates="post", lazy="raise")


class Match(Base):
    """A mention of a defender (or of their contact detail) at a span of the post text."""

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("post_id", "defender_id", "kind", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    defender_id: Mapped[int] = mapped_column(
        ForeignKey("defenders.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int]
    end: Mapped[int]
    surface: Mapped[str] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="matches", lazy="raise")


class Score(Base):
    """Classifier output for a post under one model version."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("post_id", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str | None] = mapped_column(String(8))
    threat: Mapped[float] = mapped_column(Float)
    incitement: Mapped[float] = mapped_column(Float)
    insult: Mapped[float] = mapped_column(Float)
    identity_attack: Mapped[float] = mapped_column(Float)
    sexual_harassment: Mapped[float] = mapped_column(Float)
    flagged: Mapped[list[str]] = mapped_column(JSONType, default=list)
    explanations: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    scored_at: Mapped[datetime]

    post: Mapped[Post] = relationship(back_populates="scores", lazy="raise")
