"""Requests from defenders (or people acting for them) to be monitored, made on /request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from monitor.models.base import Base, CreatedAtMixin

REQUEST_STATUSES = ("new", "accepted", "declined")


class MonitoringRequest(CreatedAtMixin, Base):
    """A consent-backed request to be monitored; the e-mail and message are encrypted."""

    __tablename__ = "monitoring_requests"
    __table_args__ = (Index("ix_monitoring_requests_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: ContactCipher ciphertext (kind "request_email") of the address to reach them at.
    contact_email_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    handles: Mapped[str] = mapped_column(Text, default="")
    #: ContactCipher ciphertext (kind "request_message"): it may describe threats received.
    message_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    consent_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="new")
