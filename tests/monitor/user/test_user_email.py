"""Where a user's mail goes: checked when given, changeable, audited without the address."""

from __future__ import annotations

import pytest
from builders import make_user
from sqlalchemy.orm import Session

from monitor.audit.service import list_events
from monitor.errors import InputError
from monitor.user.service import create_user, set_email


def test_an_address_is_checked_trimmed_and_audited_without_itself(session: Session) -> None:
    user = create_user(
        session,
        username="olzhas",
        password="x" * 12,
        role="officer",
        email=" olzhas@kalkan.example ",
    )
    assert user.email == "olzhas@kalkan.example"
    for bad in ("olzhas", "olzhas@localhost", "@kalkan.example", "o lzhas@kalkan.example"):
        with pytest.raises(InputError):
            set_email(session, user=user, email=bad)
    set_email(session, user=user, email="")
    assert user.email is None
    [event] = list_events(session, action="user.set_email")
    assert event.detail == {"has_address": False}


def test_a_new_address_replaces_the_old(session: Session) -> None:
    user = make_user(session, email="old@kalkan.example")
    set_email(session, user=user, email="new@kalkan.example")
    assert user.email == "new@kalkan.example"
