"""Accounts: creating users, checking passwords, issuing and resolving API tokens, roles.

Passwords are argon2id hashes; an unknown username costs the same verification work as a
known one, so response times do not reveal who has an account. API tokens are shown once;
only their keyed hash (`keys.token_hmac`) is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from monitor.audit.service import record_event
from monitor.errors import Conflict, InputError, PermissionDenied
from monitor.models import ROLES, ApiToken, User, utcnow
from monitor.security.keys import Keys
from monitor.security.passwords import (
    hash_api_token,
    hash_password,
    new_api_token,
    verify_password,
)
from monitor.user import repository
from monitor.user.schemas import ROLE_RANK

MAX_USERNAME = 80
MAX_EMAIL = 320


def _clean_email(email: str | None) -> str | None:
    """The address trimmed, None for empty; InputError when it cannot be an address."""
    if email is None or not email.strip():
        return None
    email = email.strip()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or len(email) > MAX_EMAIL or " " in email:
        raise InputError("that does not look like an e-mail address (name@example.org)")
    return email


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    email: str | None = None,
    actor: User | None = None,
) -> User:
    """Create an active user with an argon2-hashed password (audited); refuses duplicates.

    The e-mail address (optional) is where notifications and the weekly digest go."""
    username = username.strip()
    if not username or len(username) > MAX_USERNAME:
        raise InputError(f"a username needs 1 to {MAX_USERNAME} characters")
    if not password:
        raise InputError("a password is required")
    _check_role(role)
    email = _clean_email(email)
    if repository.get_by_username(session, username) is not None:
        raise Conflict(f"a user named {username!r} already exists")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name or username,
        email=email,
        is_active=True,
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="user.create",
        target_type="user",
        target_id=user.id,
        detail={"role": role},
    )
    return user


def ensure_user(session: Session, *, username: str, password: str, role: str) -> User:
    """The user with this name, created if absent; the password and role are (re)set."""
    user = repository.get_by_username(session, username)
    if user is None:
        return create_user(session, username=username, password=password, role=role)
    _check_role(role)
    user.password_hash = hash_password(password)
    user.role = role
    user.is_active = True
    session.flush()
    return user


def set_email(
    session: Session, *, user: User, email: str | None, actor: User | None = None
) -> None:
    """Set (or, with None/empty, remove) where the user's mail goes; audited, address not kept
    in the trail."""
    user.email = _clean_email(email)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="user.set_email",
        target_type="user",
        target_id=user.id,
        detail={"has_address": user.email is not None},
    )


def get_user_by_username(session: Session, username: str) -> User | None:
    """The user with this username, or None."""
    return repository.get_by_username(session, username)


def get_user(session: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return repository.get_by_id(session, user_id)


def authenticate(
    session: Session, *, username: str, password: str, now: datetime | None = None
) -> User | None:
    """The user when the password is right and the account active; constant work otherwise."""
    user = repository.get_by_username(session, username.strip())
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        return None
    user.last_login_at = now or utcnow()
    session.flush()
    return user


def create_api_token(
    session: Session, *, user: User, name: str, keys: Keys, actor: User | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token for `user` (audited); returns the row and the plaintext, once."""
    plaintext = new_api_token()
    token = ApiToken(
        user_id=user.id, name=name[:120], token_hash=hash_api_token(keys.token_hmac, plaintext)
    )
    session.add(token)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="api_token.create",
        target_type="user",
        target_id=user.id,
        detail={"token_id": token.id, "name": token.name},
    )
    return token, plaintext


def resolve_api_token(session: Session, *, token: str, keys: Keys, now: datetime) -> User | None:
    """The active owner of a valid, unrevoked token (stamping its use), or None."""
    if not token:
        return None
    found = repository.get_token_with_user(session, hash_api_token(keys.token_hmac, token))
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or not user.is_active:
        return None
    row.last_used_at = now
    session.flush()
    return user


def revoke_api_token(
    session: Session, *, token: ApiToken, now: datetime, actor: User | None = None
) -> None:
    """Revoke a token (audited); resolving it afterwards yields None."""
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
        record_event(
            session,
            actor=actor,
            action="api_token.revoke",
            target_type="user",
            target_id=token.user_id,
            detail={"token_id": token.id},
            now=now,
        )


def has_role(user: User, role: str) -> bool:
    """Whether the user's role is at least `role` (viewer < officer < admin)."""
    _check_role(role)
    return user.is_active and ROLE_RANK.get(user.role, -1) >= ROLE_RANK[role]


def require_role(user: User, role: str) -> User:
    """Return the user when their role is at least `role`; raise PermissionDenied otherwise."""
    if not has_role(user, role):
        raise PermissionDenied(f"this needs the {role} role")
    return user


def end_sessions(session: Session, *, user: User) -> None:
    """Invalidate every browser session of this user (logout, suspected cookie theft)."""
    user.session_epoch += 1
    session.flush()
