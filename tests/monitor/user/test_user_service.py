"""Accounts: passwords, inactive users, roles, API tokens (keyed hash only, revocation)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import NOW, make_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.audit.service import list_events
from monitor.config import Settings
from monitor.errors import Conflict, InputError, PermissionDenied
from monitor.models import ApiToken
from monitor.security.keys import derive_keys
from monitor.user.service import (
    authenticate,
    create_api_token,
    create_user,
    ensure_user,
    has_role,
    require_role,
    resolve_api_token,
    revoke_api_token,
)


def test_authenticate_right_wrong_unknown_inactive(session: Session) -> None:
    user = create_user(session, username="dana", password="a long passphrase", role="officer")
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate(session, username="dana", password="a long passphrase", now=NOW) is user
    assert user.last_login_at == NOW
    assert authenticate(session, username="dana", password="wrong", now=NOW) is None
    assert authenticate(session, username="nobody", password="a long passphrase") is None
    user.is_active = False
    assert authenticate(session, username="dana", password="a long passphrase") is None


def test_create_user_refuses_duplicates_and_unknown_roles(session: Session) -> None:
    create_user(session, username="erlan", password="pw-pw-pw-pw", role="viewer")
    with pytest.raises(Conflict):
        create_user(session, username="erlan", password="other", role="viewer")
    with pytest.raises(InputError):
        create_user(session, username="new", password="pw", role="superuser")


def test_ensure_user_resets_password(session: Session) -> None:
    ensure_user(session, username="demo", password="first password", role="officer")
    ensure_user(session, username="demo", password="second password", role="admin")
    user = authenticate(session, username="demo", password="second password")
    assert user is not None and user.role == "admin"


def test_roles_are_ordered(session: Session) -> None:
    viewer = make_user(session, role="viewer")
    admin = make_user(session, role="admin")
    assert has_role(admin, "officer") and not has_role(viewer, "officer")
    with pytest.raises(PermissionDenied):
        require_role(viewer, "officer")
    assert require_role(admin, "admin") is admin


def test_api_token_is_stored_hashed_and_can_be_revoked(
    session: Session, settings: Settings
) -> None:
    keys = derive_keys(settings)
    user = make_user(session)
    row, plaintext = create_api_token(session, user=user, name="ci", keys=keys)
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert plaintext not in stored and row.token_hash in stored
    later = NOW + timedelta(hours=1)
    assert resolve_api_token(session, token=plaintext, keys=keys, now=later) is user
    assert row.last_used_at == later
    assert resolve_api_token(session, token=plaintext + "x", keys=keys, now=later) is None
    assert resolve_api_token(session, token="", keys=keys, now=later) is None
    revoke_api_token(session, token=row, now=later)
    assert resolve_api_token(session, token=plaintext, keys=keys, now=later) is None
    events = list_events(session)
    assert {e.action for e in events} == {"api_token.create", "api_token.revoke"}
    assert all(plaintext not in repr(e.detail) for e in events)


def test_inactive_owner_token_refused(session: Session, settings: Settings) -> None:
    keys = derive_keys(settings)
    user = make_user(session)
    _, plaintext = create_api_token(session, user=user, name="ci", keys=keys)
    user.is_active = False
    assert resolve_api_token(session, token=plaintext, keys=keys, now=NOW) is None
