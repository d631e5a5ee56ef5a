"""Opening case files from alerts: validation, one case per alert, audited moves."""

from __future__ import annotations

import pytest
from builders import NOW, make_alert, make_defender, make_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.audit.service import list_events
from monitor.case.service import add_alerts_to_case, get_case, list_cases, open_case
from monitor.errors import Conflict, InputError, NotFound, PermissionDenied, Unprocessable
from monitor.models import Alert, Case


def test_open_case_holds_the_alerts_and_is_audited(session: Session) -> None:
    officer = make_user(session, username="dana")
    defender = make_defender(session, slug="saule")
    first, second = make_alert(session, defender=defender), make_alert(session, defender=defender)
    case = open_case(
        session,
        title="  Threats   before the march ",
        alert_ids=[second.id, first.id, first.id],
        user=officer,
        now=NOW,
        ip="10.0.0.9",
    )
    assert case.title == "Threats before the march"
    assert case.alert_ids == [first.id, second.id]
    assert (case.defender, case.created_by, case.status) == ("saule", "dana", "open")
    assert case.created_at == NOW
    assert [a.case_id for a in (first, second)] == [case.id, case.id]
    (event,) = list_events(session, action="case.open")
    assert (event.actor_id, event.target_id, event.ip) == (officer.id, str(case.id), "10.0.0.9")
    assert event.detail == {"alert_ids": [first.id, second.id]}


def test_unknown_alert_ids_create_nothing(session: Session) -> None:
    officer = make_user(session)
    known = make_alert(session)
    with pytest.raises(Unprocessable, match=r"unknown alert ids: 424242, 424243"):
        open_case(session, title="t", alert_ids=[known.id, 424243, 424242], user=officer, now=NOW)
    assert session.scalar(select(func.count(Case.id))) == 0
    assert known.case_id is None
    assert list_events(session, action="case.open") == []


def test_alert_in_another_case_is_refused_unless_moved(session: Session) -> None:
    officer = make_user(session)
    alert = make_alert(session)
    old = open_case(session, title="first", alert_ids=[alert.id], user=officer, now=NOW)
    with pytest.raises(Conflict, match=rf"alert {alert.id} is in case {old.id}"):
        open_case(session, title="second", alert_ids=[alert.id], user=officer, now=NOW)
    assert session.scalar(select(func.count(Case.id))) == 1
    new = open_case(session, title="second", alert_ids=[alert.id], user=officer, now=NOW, move=True)
    assert get_case(session, old.id).alert_ids == [] and new.alert_ids == [alert.id]
    assert get_case(session, old.id).defender is None
    (moved,) = list_events(session, action="case.move_alert")
    assert moved.target_id == str(alert.id)
    assert moved.detail == {"from_case": old.id, "to_case": new.id}


def test_adding_alerts_is_idempotent_and_recomputes_the_defender(session: Session) -> None:
    officer = make_user(session)
    one, other = make_defender(session, slug="one"), make_defender(session, slug="other")
    a, b = make_alert(session, defender=one), make_alert(session, defender=other)
    case = open_case(session, title="t", alert_ids=[a.id], user=officer, now=NOW)
    assert case.defender == "one"
    grown = add_alerts_to_case(
        session, case_id=case.id, alert_ids=[a.id, b.id], user=officer, now=NOW
    )
    again = add_alerts_to_case(session, case_id=case.id, alert_ids=[b.id], user=officer, now=NOW)
    assert grown.alert_ids == again.alert_ids == [a.id, b.id]
    assert grown.defender is None and {x.defender for x in grown.alerts} == {"one", "other"}
    (added,) = list_events(session, action="case.add_alerts")
    assert added.detail == {"alert_ids": [b.id]}
    with pytest.raises(NotFound):
        add_alerts_to_case(session, case_id=999_999, alert_ids=[a.id], user=officer, now=NOW)


@pytest.mark.parametrize("title", ["", "   ", "x" * 301])
def test_a_title_is_required(session: Session, title: str) -> None:
    officer = make_user(session)
    alert = make_alert(session)
    with pytest.raises(InputError, match="title"):
        open_case(session, title=title, alert_ids=[alert.id], user=officer, now=NOW)


def test_viewers_cannot_open_cases(session: Session) -> None:
    viewer = make_user(session, role="viewer")
    alert = make_alert(session)
    with pytest.raises(PermissionDenied):
        open_case(session, title="t", alert_ids=[alert.id], user=viewer, now=NOW)
    assert session.get(Alert, alert.id).case_id is None


def test_list_newest_first(session: Session) -> None:
    officer = make_user(session)
    ids = [
        open_case(
            session, title=f"c{i}", alert_ids=[make_alert(session).id], user=officer, now=NOW
        ).id
        for i in range(3)
    ]
    assert [c.id for c in list_cases(session)] == ids[::-1]
    assert [len(c.alert_ids) for c in list_cases(session, status="open")] == [1, 1, 1]
    assert list_cases(session, status="closed") == []
    with pytest.raises(InputError):
        list_cases(session, status="lost")
