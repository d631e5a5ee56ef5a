"""Defenders, the names they are found by, and their encrypted contact details."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitor.models.base import Base, CreatedAtMixin


class Defender(CreatedAtMixin, Base):
    """A person Kalkan watches over, with their consent."""

    __tablename__ = "defenders"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[str | None] = mapped_column(String(80))
    risk_level: Mapped[str] = mapped_column(String(20), default="normal")
    status: Mapped[str] = mapped_column(String(20), default="active")
    consent_at: Mapped[datetime | None]
    consent_note: Mapped[str | None] = mapped_column(Text)
    assigned_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime | None]

    names: Mapped[list[DefenderName]] = relationship(
        back_populates="defender", lazy="raise", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[ContactDetail]] = relationship(
        back_populates="defender", lazy="raise", cascade="all, delete-orphan"
    )
    events: Mapped[list[DefenderEvent]] = relationship(
        back_populates="defender", lazy="raise", cascade="all, delete-orphan"
    )


class DefenderName(Base):
    """A name, alias or handle as the officer entered it; variants are derived by the matcher."""

    __tablename__ = "defender_names"
    __table_args__ = (UniqueConstraint("defender_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defenders.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # name | alias | handle
    value: Mapped[str] = mapped_column(String(300))

    defender: Mapped[Defender] = relationship(back_populates="names", lazy="raise")


class ContactDetail(CreatedAtMixin, Base):
    """A phone, e-mail or address: encrypted at rest, found through a keyed hash."""

    __tablename__ = "contact_details"
    __table_args__ = (
        UniqueConstraint("defender_id", "kind", "lookup_hash"),
        Index("ix_contact_details_lookup", "kind", "lookup_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defenders.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # phone | email | address | id_number
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    lookup_hash: Mapped[str] = mapped_column(String(64))
    masked: Mapped[str] = mapped_column(String(80))

    defender: Mapped[Defender] = relationship(back_populates="contacts", lazy="raise")


class DefenderEvent(CreatedAtMixin, Base):
    """A planned public event that incitement may target."""

    __tablename__ = "defender_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    defender_id: Mapped[int] = mapped_column(ForeignKey("defenders.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime]
    venue: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))

    defender: Mapped[Defender] = relationship(back_populates="events", lazy="raise")
