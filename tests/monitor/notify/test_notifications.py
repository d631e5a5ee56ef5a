"""Alert notifications end to end: queued with the alert, mailed once, retried, never leaked."""

from __future__ import annotations

from datetime import timedelta

from builders import NOW, make_alert, make_defender, make_post, make_user
from mail_support import mail_settings, team
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.smtp_server import TestSMTPServer

from monitor.alert.grouping import record_finding
from monitor.alert.rules import Finding
from monitor.alert.service import acknowledge_alert
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Alert, Notification, User
from monitor.notify.repository import claim
from monitor.notify.round import notify_round
from monitor.notify.status import mail_status

WINDOW = timedelta(hours=6)


def new_alert(factory: sessionmaker[Session], **fields: object) -> int:
    with session_scope(factory) as session:
        defender = make_defender(session, display_name="Жанар Тестова")
        posts = [make_post(session), make_post(session)]
        return make_alert(session, defender=defender, posts=posts, **fields).id


def test_an_alert_is_mailed_once_to_every_officer_and_admin(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    config = mail_settings(settings, smtp_server)
    team(session_factory)
    alert_id = new_alert(session_factory, severity="high", category="threat")

    report = notify_round(session_factory, settings=config, now=NOW)
    assert report.queued == 2 and report.sent.sent == 2
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "dana@kalkan.example",
        "olzhas@kalkan.example",
    ]
    message = smtp_server.messages[0]
    body = message.texts()[0]
    assert message.message["Subject"] == f"[Kalkan] HIGH alert #{alert_id} (threat)"
    assert "Жанар Тестова" in body and "Posts:     2" in body
    assert "Severity:  high" in body and "threat" in body
    assert f"https://kalkan.example/alerts/{alert_id}" in body
    assert "Жанар" not in message.message["Subject"]

    for later in (NOW + timedelta(minutes=1), NOW + timedelta(days=1)):
        again = notify_round(session_factory, settings=config, now=later)
        assert (again.queued, again.sent.sent) == (0, 0)
    assert len(smtp_server.messages) == 2
    with session_scope(session_factory) as session:
        assert session.get(Alert, alert_id).notified_severity == "high"


def test_a_higher_severity_notifies_again_and_the_same_severity_does_not(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    config = mail_settings(settings, smtp_server)
    with session_scope(session_factory) as session:
        make_user(session, email="olzhas@kalkan.example")
        defender = make_defender(session)
        defender_id, name = defender.id, defender.display_name
        first, second, third = (make_post(session).id for _ in range(3))

    def find(post_id: int, severity: str, at: timedelta) -> None:
        finding = Finding(defender_id, "threat", severity, f"{severity} threat")
        with session_scope(session_factory) as session:
            record_finding(
                session,
                finding=finding,
                post_id=post_id,
                defender_name=name,
                now=NOW + at,
                window=WINDOW,
            )

    find(first, "high", timedelta(0))
    notify_round(session_factory, settings=config, now=NOW)
    find(second, "high", timedelta(minutes=5))
    notify_round(session_factory, settings=config, now=NOW + timedelta(minutes=5))
    assert len(smtp_server.messages) == 1, "a second post at the same severity is not news"

    find(third, "critical", timedelta(minutes=10))
    notify_round(session_factory, settings=config, now=NOW + timedelta(minutes=10))
    assert len(smtp_server.messages) == 2
    body = smtp_server.messages[1].texts()[0]
    assert "Severity:  critical (raised from high)" in body
    assert "Posts:     3" in body
    assert "acknowledged within 30 minutes" in body
    with session_scope(session_factory) as session:
        alert = session.scalars(select(Alert)).one()
        assert alert.critical_at == NOW + timedelta(minutes=10), "the deadline's start"


def test_only_alerts_at_the_minimum_severity_are_mailed(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    team(session_factory)
    new_alert(session_factory, severity="medium", category="abuse")
    notify_round(session_factory, settings=mail_settings(settings, smtp_server), now=NOW)
    assert smtp_server.messages == []

    lower = mail_settings(settings, smtp_server, notify_min_severity="medium")
    notify_round(session_factory, settings=lower, now=NOW + timedelta(minutes=1))
    assert len(smtp_server.messages) == 2


def test_the_assigned_officer_alone_is_told_first(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    team(session_factory)
    with session_scope(session_factory) as session:
        assigned = make_user(session, email="aruzhan@kalkan.example")
        defender = make_defender(session, assigned_officer_id=assigned.id)
        make_alert(session, defender=defender, severity="high")
    notify_round(session_factory, settings=mail_settings(settings, smtp_server), now=NOW)
    assert [m.rcpt_tos for m in smtp_server.messages] == [("aruzhan@kalkan.example",)]


def test_smtp_down_is_retried_with_backoff_and_nothing_is_lost(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    config = mail_settings(settings, smtp_server)
    team(session_factory)
    new_alert(session_factory, severity="high")
    smtp_server.stop()

    down = notify_round(session_factory, settings=config, now=NOW)
    assert down.queued == 2 and down.sent.sent == 0
    assert down.sent.failure == "ConnectionRefusedError"
    with session_scope(session_factory) as session:
        rows = session.scalars(select(Notification)).all()
        assert [(r.status, r.attempts) for r in rows] == [("pending", 1)] * 2
        assert all(r.next_attempt_at == NOW + timedelta(minutes=1) for r in rows)
        status = mail_status(session, configured=True)
    assert (status.pending, status.failing, status.last_error) == (
        2,
        2,
        "ConnectionRefusedError",
    )

    smtp_server.start()
    early = notify_round(session_factory, settings=config, now=NOW + timedelta(seconds=30))
    assert early.sent.sent == 0 and smtp_server.messages == [], "backoff is respected"
    late = notify_round(session_factory, settings=config, now=NOW + timedelta(minutes=1))
    assert late.sent.sent == 2 and len(smtp_server.messages) == 2
    notify_round(session_factory, settings=config, now=NOW + timedelta(hours=2))
    assert len(smtp_server.messages) == 2
    with session_scope(session_factory) as session:
        assert mail_status(session, configured=True).pending == 0


def test_backoff_doubles_while_the_server_stays_down(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    config = mail_settings(settings, TestSMTPServer())  # a port nobody listens on
    team(session_factory)
    new_alert(session_factory, severity="high")
    at = NOW
    for expected in (1, 2, 4, 8):
        notify_round(session_factory, settings=config, now=at)
        with session_scope(session_factory) as session:
            row = session.scalars(select(Notification)).first()
            assert row is not None
            assert row.next_attempt_at - at == timedelta(minutes=expected)
            at = row.next_attempt_at


def test_a_refused_recipient_does_not_hold_back_the_others(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    team(session_factory)
    new_alert(session_factory, severity="high")
    smtp_server.refuse("olzhas@kalkan.example")
    report = notify_round(session_factory, settings=mail_settings(settings, smtp_server), now=NOW)
    assert (report.sent.sent, report.sent.failed) == (1, 1)
    assert [m.rcpt_tos for m in smtp_server.messages] == [("dana@kalkan.example",)]
    with session_scope(session_factory) as session:
        pending = session.scalars(select(Notification).where(Notification.status == "pending"))
        assert [r.last_error for r in pending] == ["SMTPRecipientsRefused 550"]


def test_a_send_interrupted_by_a_crash_is_sent_after_its_lease_with_a_stable_id(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    config = mail_settings(settings, smtp_server)
    with session_scope(session_factory) as session:
        make_user(session, email="olzhas@kalkan.example")
    new_alert(session_factory, severity="high")
    smtp_server.stop()
    notify_round(session_factory, settings=config, now=NOW)  # queued, not sent
    smtp_server.start()
    at = NOW + timedelta(minutes=1)
    with session_scope(session_factory) as session:
        row_id = session.scalars(select(Notification.id)).one()
        assert claim(session, row_id, now=at, until=at + timedelta(minutes=10))
    # ... and the process died here, after claiming, before marking the row sent.
    notify_round(session_factory, settings=config, now=at + timedelta(minutes=5))
    assert smtp_server.messages == [], "a claimed row is left to its sender until the lease ends"
    notify_round(session_factory, settings=config, now=at + timedelta(minutes=10))
    [message] = smtp_server.messages
    assert message.message["Message-ID"] == f"<kalkan.notification.{row_id}@kalkan.example>"


def test_nothing_is_queued_without_an_smtp_server(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    team(session_factory)
    alert_id = new_alert(session_factory, severity="high")
    report = notify_round(session_factory, settings=settings, now=NOW)
    assert report.queued == 0
    with session_scope(session_factory) as session:
        assert session.scalars(select(Notification)).all() == []
        assert session.get(Alert, alert_id).notified_severity is None


def test_after_an_outage_only_what_is_still_news_is_sent(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    """Queued during an outage: one alert was acknowledged, another rose to critical."""
    config = mail_settings(settings, smtp_server)
    ids = team(session_factory)
    acked = new_alert(session_factory, severity="high", category="threat")
    rising = new_alert(session_factory, severity="high", category="incitement")
    smtp_server.stop()
    notify_round(session_factory, settings=config, now=NOW)
    with session_scope(session_factory) as session:
        officer = session.get(User, ids["officer"])
        acknowledge_alert(session, alert_id=acked, user=officer, now=NOW)
        alert = session.get(Alert, rising)
        alert.severity, alert.critical_at = "critical", NOW
    smtp_server.start()
    report = notify_round(session_factory, settings=config, now=NOW + timedelta(minutes=1))
    assert (report.sent.sent, report.sent.skipped) == (2, 4)
    assert {m.message["Subject"] for m in smtp_server.messages} == {
        f"[Kalkan] CRITICAL alert #{rising} (incitement)"
    }
    with session_scope(session_factory) as session:
        reasons = {
            r.last_error
            for r in session.scalars(select(Notification).where(Notification.status == "skipped"))
        }
    assert reasons == {
        "alert acknowledged before sending",
        "superseded by a more severe notification",
    }


def test_an_address_the_server_cannot_take_does_not_block_the_others(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    """A server without SMTPUTF8: the Cyrillic address fails alone, and is retried."""
    with session_scope(session_factory) as session:
        make_user(session, email="олжас@kalkan.example")
        make_user(session, email="dana@kalkan.example")
    new_alert(session_factory, severity="high")
    with TestSMTPServer(smtputf8=False) as ascii_only:
        config = mail_settings(settings, ascii_only)
        report = notify_round(session_factory, settings=config, now=NOW)
    assert (report.sent.sent, report.sent.failed) == (1, 1)
    assert report.sent.failure == "SMTPNotSupportedError"
    assert [m.rcpt_tos for m in ascii_only.messages] == [("dana@kalkan.example",)]
    with session_scope(session_factory) as session:
        waiting = session.scalars(select(Notification).where(Notification.status == "pending"))
        assert [r.attempts for r in waiting] == [1]
