"""Threat-to-life escalation: once, after the deadline, unless acknowledged; never leaky."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from builders import NOW, make_alert, make_defender, make_post, make_user
from mail_support import mail_settings, team
from pipeline_support import DEFENDERS
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.smtp_server import TestSMTPServer

from monitor.alert.service import acknowledge_alert
from monitor.audit.service import list_events
from monitor.config import Settings
from monitor.db import session_scope
from monitor.defender.service import register_defenders
from monitor.models import Alert, Match, Notification, User
from monitor.notify.round import notify_round
from monitor.security.keys import derive_keys

DEADLINE = timedelta(minutes=30)


def critical_alert(factory: sessionmaker[Session], *, assigned_email: str | None = None) -> int:
    """An open critical alert, critical since NOW; its defender may have an assigned officer."""
    with session_scope(factory) as session:
        assigned = make_user(session, email=assigned_email) if assigned_email else None
        defender = make_defender(session, assigned_officer_id=assigned.id if assigned else None)
        alert = make_alert(
            session,
            defender=defender,
            posts=[make_post(session)],
            severity="critical",
            category="doxxing",
            reason="tracked phone published",
            critical_at=NOW,
        )
        return alert.id


def test_an_unacknowledged_critical_alert_escalates_once_after_the_deadline(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    config = mail_settings(settings, smtp_server)
    team(session_factory)
    alert_id = critical_alert(session_factory, assigned_email="aruzhan@kalkan.example")

    notify_round(session_factory, settings=config, now=NOW)
    assert [m.rcpt_tos for m in smtp_server.messages] == [("aruzhan@kalkan.example",)]

    before = notify_round(
        session_factory, settings=config, now=NOW + DEADLINE - timedelta(seconds=1)
    )
    assert before.escalated == [] and len(smtp_server.messages) == 1

    at = NOW + DEADLINE
    report = notify_round(session_factory, settings=config, now=at)
    assert report.escalated == [alert_id]
    escalations = smtp_server.messages[1:]
    assert sorted(r for m in escalations for r in m.rcpt_tos) == [
        "aruzhan@kalkan.example",
        "dana@kalkan.example",
        "olzhas@kalkan.example",
    ], "every officer and admin, the assigned officer included; never viewers"
    subject = escalations[0].message["Subject"]
    assert subject == f"[Kalkan] ESCALATED: critical alert #{alert_id} not acknowledged"
    assert "within 30 minutes" in escalations[0].texts()[0]

    with session_scope(session_factory) as session:
        assert session.get(Alert, alert_id).escalated_at == at
        [event] = list_events(session, action="alert.escalate")
        assert event.target_id == str(alert_id) and event.actor_id is None
        assert event.detail["deadline_minutes"] == 30

    for later in (timedelta(minutes=31), timedelta(hours=5)):
        again = notify_round(session_factory, settings=config, now=NOW + later)
        assert again.escalated == []
    assert len(smtp_server.messages) == 4


def test_acknowledging_before_the_deadline_stops_the_escalation(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    config = mail_settings(settings, smtp_server)
    ids = team(session_factory)
    alert_id = critical_alert(session_factory)
    notify_round(session_factory, settings=config, now=NOW)
    with session_scope(session_factory) as session:
        officer = session.get(User, ids["officer"])
        acknowledge_alert(session, alert_id=alert_id, user=officer, now=NOW + timedelta(minutes=29))
    report = notify_round(session_factory, settings=config, now=NOW + timedelta(hours=1))
    assert report.escalated == []
    assert all("ESCALATED" not in m.message["Subject"] for m in smtp_server.messages)


def test_the_deadline_is_configurable_and_recorded_without_mail(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    alert_id = critical_alert(session_factory)
    quick = settings.model_copy(update={"ack_deadline_minutes": 5})
    assert (
        notify_round(session_factory, settings=quick, now=NOW + timedelta(minutes=4)).escalated
        == []
    )
    assert notify_round(
        session_factory, settings=quick, now=NOW + timedelta(minutes=5)
    ).escalated == [alert_id]
    with session_scope(session_factory) as session:
        assert session.get(Alert, alert_id).escalated_at is not None
        assert len(list_events(session, action="alert.escalate")) == 1
        assert session.scalars(select(Notification)).all() == [], "no SMTP: nothing queued"


def test_no_contact_detail_and_no_post_text_ever_leaves_in_a_message(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    """A leaked phone number raises a critical alert; neither mail may carry it."""
    profile = DEFENDERS[0]  # fictional: Айгерим Нурланова, +7 701 555 23 47
    leak = "Звоните ей все: +7 (701) 555-23-47, пишите на aigerim.n@example.org"
    with session_scope(session_factory) as session:
        make_user(session, email="olzhas@kalkan.example")
        [defender] = register_defenders(
            session,
            profiles=[replace(profile, emails=("aigerim.n@example.org",))],
            keys=derive_keys(settings),
            now=NOW,
        )
        post = make_post(session, text=leak)
        session.add(
            Match(
                post_id=post.id,
                defender_id=defender.id,
                kind="phone",
                start=14,
                end=32,
                surface=leak[14:32],
            )
        )
        alert_id = make_alert(
            session,
            defender=defender,
            posts=[post],
            severity="critical",
            category="doxxing",
            reason="tracked phone, email published",
            critical_at=NOW,
        ).id
    config = mail_settings(settings, smtp_server)
    notify_round(session_factory, settings=config, now=NOW)
    notify_round(session_factory, settings=config, now=NOW + DEADLINE)
    assert len(smtp_server.messages) == 2  # the notification and the escalation
    forbidden = ["555", "23-47", "2347", "7015552347", "aigerim.n", "Звоните", "пишите"]
    for message in smtp_server.messages:
        everything = message.everything()
        assert f"/alerts/{alert_id}" in everything and "Айгерим Нурланова" in everything
        digits = "".join(ch for ch in everything if ch.isdigit())
        assert "7015552347" not in digits
        for needle in forbidden:
            assert needle not in everything
