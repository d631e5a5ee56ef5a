"""Alerts (grouped like Alertmanager), the posts they collect, and case files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitor.models.base import Base, CreatedAtMixin

ALERT_STATUSES = ("open", "acknowledged", "closed")
SEVERITIES = ("low", "medium", "high", "critical")


class Alert(Base):
    """One alert per (defender, category) while open; a source-health alert has a source instead."""

    __tablename__ = "alerts"
    __table_args__ = (
        # At most one live alert per group: the database enforces the grouping rule.
        Index(
            "uq_alerts_live_group",
            "group_key",
            unique=True,
            sqlite_where=text("status IN ('open', 'acknowledged')"),
            postgresql_where=text("status IN ('open', 'acknowledged')"),
        ),
        Index("ix_alerts_feed", "status", "last_post_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int | None] = mapped_column(
        ForeignKey("defenders.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")
    group_key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text, default="")
    post_count: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime]
    last_post_at: Mapped[datetime]
    notified_severity: Mapped[str | None] = mapped_column(String(20))
    #: When the alert became critical: the acknowledgement deadline runs from here.
    critical_at: Mapped[datetime | None]
    #: When an unacknowledged critical alert was escalated (once per alert).
    escalated_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))

    posts: Mapped[list[AlertPost]] = relationship(back_populates="alert", lazy="raise")


class AlertPost(Base):
    """A post collected into an alert; the pair is unique, so nothing is counted twice."""

    __tablename__ = "alert_posts"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    severity: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime]

    alert: Mapped[Alert] = relationship(back_populates="posts", lazy="raise")


class Case(CreatedAtMixin, Base):
    """A case file an officer opens from one or more alerts."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="open")
    defender_id: Mapped[int | None] = mapped_column(ForeignKey("defenders.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
