"""Every query about users and API tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import ApiToken, User


def get_by_username(session: Session, username: str) -> User | None:
    """The user with this username, or None."""
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def get_by_id(session: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return session.get(User, user_id)


def get_token_with_user(session: Session, token_hash: str) -> tuple[ApiToken, User] | None:
    """The token with this keyed hash and its owner, or None."""
    query = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash)
    )
    row = session.execute(query).one_or_none()
    return (row[0], row[1]) if row is not None else None
