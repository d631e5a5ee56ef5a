"""Every query about defenders."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from monitor.models import ContactDetail, Defender, DefenderName


def get_by_slug(session: Session, slug: str) -> Defender | None:
    """The defender with this file id, if any."""
    return session.scalars(select(Defender).where(Defender.slug == slug)).one_or_none()


def slug_to_id(session: Session) -> dict[str, int]:
    """Map every defender's slug to its row id (matches name defenders by slug)."""
    return {slug: id_ for slug, id_ in session.execute(select(Defender.slug, Defender.id))}


def replace_names(session: Session, defender: Defender, names: Sequence[DefenderName]) -> None:
    """Make the defender's names exactly `names`."""
    session.execute(delete(DefenderName).where(DefenderName.defender_id == defender.id))
    for name in names:
        name.defender_id = defender.id
        session.add(name)


def replace_contacts(
    session: Session, defender: Defender, contacts: Sequence[ContactDetail]
) -> None:
    """Make the defender's contact details exactly `contacts`."""
    session.execute(delete(ContactDetail).where(ContactDetail.defender_id == defender.id))
    for contact in contacts:
        contact.defender_id = defender.id
        session.add(contact)


def list_with_details(session: Session, *, active_only: bool = True) -> list[Defender]:
    """Defenders (active ones unless told) with names and contacts loaded (never lazy)."""
    query = (
        select(Defender)
        .options(selectinload(Defender.names), selectinload(Defender.contacts))
        .order_by(Defender.id)
    )
    if active_only:
        query = query.where(Defender.status == "active")
    return list(session.scalars(query))


def change_markers(session: Session) -> tuple[object, ...]:
    """Counts and latest timestamps that move whenever matcher input changes."""
    return (
        tuple(
            session.execute(
                select(
                    func.count(Defender.id),
                    func.max(Defender.updated_at),
                    func.count(Defender.id).filter(Defender.status == "active"),
                )
            ).one()
        ),
        session.scalar(select(func.count(DefenderName.id))),
        session.scalar(select(func.max(ContactDetail.id))),
        session.scalar(select(func.count(ContactDetail.id))),
    )
