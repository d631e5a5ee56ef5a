"""Recording audit events. Details are metadata only: never post text, contact details,
passwords or tokens — the trail is read by many and kept for long.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import AuditEvent, User, utcnow

#: Keys refused in `detail`, so a careless caller cannot leak secrets into the trail.
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"password", "token", "text", "post_text", "phone", "email", "contact", "address"}
)


def record_event(
    session: Session,
    *,
    actor: User | None,
    action: str,
    target_type: str | None = None,
    target_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one audit event (flushed, committed by the caller's unit of work)."""
    clean = dict(detail or {})
    leaked = FORBIDDEN_DETAIL_KEYS.intersection(key.lower() for key in clean)
    if leaked:
        raise ValueError(f"audit detail must not carry {sorted(leaked)}")
    event = AuditEvent(
        at=now or utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action[:80],
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        detail=clean,
        ip=ip,
    )
    session.add(event)
    session.flush()
    return event


def list_events(
    session: Session, *, action: str | None = None, limit: int = 100
) -> list[AuditEvent]:
    """The newest audit events first, optionally of one action."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
