"""The alert feed (order, filters, keyset pages), the detail view and acknowledgement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import NOW, make_alert, make_defender, make_match, make_post, make_score, make_user
from sqlalchemy.orm import Session

from monitor.alert.schemas import EXCERPT_LIMIT
from monitor.alert.service import acknowledge_alert, get_alert, list_alerts
from monitor.audit.service import list_events
from monitor.errors import Conflict, InputError, NotFound, PermissionDenied


def test_feed_newest_first_with_keyset_pages(session: Session) -> None:
    defender = make_defender(session)
    alerts = [
        make_alert(session, defender=defender, last_post_at=NOW - timedelta(minutes=i % 3))
        for i in range(7)
    ]
    seen, cursor = [], None
    while True:
        items, cursor = list_alerts(session, limit=3, cursor=cursor)
        seen += [item.alert.id for item in items]
        if cursor is None:
            break
    expected = sorted(alerts, key=lambda a: (a.last_post_at, a.id), reverse=True)
    assert seen == [a.id for a in expected]


def test_filters_and_excerpt(session: Session) -> None:
    kept = make_defender(session, slug="kept")
    post = make_post(session, text="x" * 1000)
    make_alert(session, defender=kept, posts=[make_post(session), post], severity="critical")
    make_alert(session, severity="medium")
    items, _ = list_alerts(session, severity="critical")
    assert [i.alert.defender for i in items] == ["kept"]
    latest = items[0].latest
    assert latest is not None and latest.post_id == post.id
    assert latest.truncated and len(latest.text) == EXCERPT_LIMIT
    assert [i.alert.defender for i in list_alerts(session, defender="kept")[0]] == ["kept"]
    assert list_alerts(session, status="closed")[0] == []
    with pytest.raises(InputError):
        list_alerts(session, severity="apocalyptic")
    with pytest.raises(InputError):
        list_alerts(session, cursor="!!not-a-cursor")


def test_detail_has_posts_scores_and_matches(session: Session) -> None:
    defender = make_defender(session)
    post = make_post(session, text="Айгуль, we know where you live")
    make_score(session, post=post, threat=0.91, flagged=["threat"], explanations={"threat": "x"})
    make_match(session, post=post, defender=defender, start=0, end=6)
    alert = make_alert(session, defender=defender, posts=[post])
    detail = get_alert(session, alert.id)
    assert detail.alert.defender == defender.slug
    (view,) = detail.posts
    assert view.text == post.text and view.scores["threat"] == pytest.approx(0.91)
    assert view.flagged == ["threat"] and view.matches[0].end == 6
    with pytest.raises(NotFound):
        get_alert(session, 999_999)


def test_acknowledge_is_idempotent_and_audited(session: Session) -> None:
    officer = make_user(session)
    alert = make_alert(session)
    first = acknowledge_alert(session, alert_id=alert.id, user=officer, now=NOW)
    again = acknowledge_alert(session, alert_id=alert.id, user=officer, now=NOW + timedelta(1))
    assert first.status == again.status == "acknowledged"
    assert again.acknowledged_at == NOW
    events = list_events(session, action="alert.acknowledge")
    assert [(e.actor_id, e.target_id) for e in events] == [(officer.id, str(alert.id))]


def test_acknowledge_refusals(session: Session) -> None:
    viewer = make_user(session, role="viewer")
    officer = make_user(session)
    with pytest.raises(PermissionDenied):
        acknowledge_alert(session, alert_id=make_alert(session).id, user=viewer, now=NOW)
    closed = make_alert(session, status="closed")
    with pytest.raises(Conflict):
        acknowledge_alert(session, alert_id=closed.id, user=officer, now=NOW)
    with pytest.raises(NotFound):
        acknowledge_alert(session, alert_id=424242, user=officer, now=NOW)
