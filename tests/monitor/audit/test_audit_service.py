"""The audit trail records metadata and refuses secrets in its detail."""

from __future__ import annotations

import pytest
from builders import NOW, make_user
from sqlalchemy.orm import Session

from monitor.audit.service import list_events, record_event


def test_record_and_list(session: Session) -> None:
    user = make_user(session)
    record_event(session, actor=user, action="login.success", detail={"username": "x"}, now=NOW)
    record_event(session, actor=None, action="login.failure", ip="127.0.0.1", now=NOW)
    events = list_events(session, action="login.failure")
    assert [e.action for e in events] == ["login.failure"]
    assert events[0].ip == "127.0.0.1" and events[0].actor_id is None
    assert len(list_events(session)) == 2


@pytest.mark.parametrize("key", ["password", "Token", "text", "phone"])
def test_secrets_refused_in_detail(session: Session, key: str) -> None:
    with pytest.raises(ValueError):
        record_event(session, actor=None, action="x", detail={key: "value"})
