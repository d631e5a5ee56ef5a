"""The weekly digest: its figures, one send per recipient and week, dry runs, never leaky."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from builders import NOW, make_alert, make_defender, make_match, make_post, make_source, make_user
from mail_support import mail_settings, team
from pipeline_support import DEFENDERS
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.smtp_server import TestSMTPServer

from monitor.config import Settings
from monitor.db import session_scope
from monitor.defender.service import register_defenders
from monitor.digest import repository
from monitor.digest.period import Week, parse_week
from monitor.digest.service import plan_week, send_last_week_if_due, send_week
from monitor.errors import ConfigurationError, InputError
from monitor.models import Digest
from monitor.notify.status import mail_status
from monitor.security.keys import derive_keys

WEEK = Week(2026, 21)  # Monday 18 May – Sunday 24 May 2026; NOW is Wednesday 20 May, noon
LEAK = "Звоните ей все: +7 (701) 555-23-47, пишите на aigerim.n@example.org"
ABUSE = "Эта дура ещё пожалеет"


def seed_week(factory: sessionmaker[Session], settings: Settings) -> dict[str, int]:
    """A week of fictional trouble: a leaked number, a threat, abuse, a quiet mention, a
    failing source — and last week's alert acknowledged this week."""
    ids: dict[str, int] = {}
    with session_scope(factory) as session:
        profile = replace(DEFENDERS[0], emails=("aigerim.n@example.org",))
        [aigerim] = register_defenders(
            session, profiles=[profile], keys=derive_keys(settings), now=NOW - timedelta(days=60)
        )
        marat = make_defender(session, slug="marat", display_name='Марат <img src=x onerror="x()">')
        leak, abuse = make_post(session, text=LEAK), make_post(session, text=ABUSE)
        quiet = make_post(session, text="Марат Ержанов выступил на конференции")
        old = make_post(session, collected_at=NOW - timedelta(days=10))
        for post, defender in ((leak, aigerim), (abuse, marat), (quiet, marat), (old, marat)):
            make_match(session, post=post, defender=defender)
        ids["doxxing"] = make_alert(
            session,
            defender=aigerim,
            posts=[leak],
            severity="critical",
            category="doxxing",
            critical_at=NOW,
            escalated_at=NOW + timedelta(minutes=30),
        ).id
        ids["threat"] = make_alert(
            session,
            defender=aigerim,
            severity="high",
            category="threat",
            status="acknowledged",
            acknowledged_at=NOW + timedelta(hours=1),
        ).id
        make_alert(session, defender=marat, posts=[abuse], severity="medium", category="abuse")
        last_week = NOW - timedelta(days=7)
        make_alert(
            session,
            defender=marat,
            severity="high",
            category="incitement",
            opened_at=last_week,
            last_post_at=last_week,
            status="acknowledged",
            acknowledged_at=NOW,
        )
        source = make_source(session, name="tg-almaty-news")
        make_alert(
            session,
            defender=None,
            defender_id=None,
            source_id=source.id,
            category="source_health",
            severity="high",
            reason="3 consecutive failed runs",
            title="Source tg-almaty-news is failing: HTTP 502 from http://secret.example/?q=x",
        )
    return ids


@pytest.fixture
def week_data(settings: Settings, session_factory: sessionmaker[Session]) -> dict[str, int]:
    team(session_factory)
    return seed_week(session_factory, settings)


def test_the_digest_counts_the_week_and_links_into_the_dashboard(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    config = mail_settings(settings, smtp_server)
    report = send_week(session_factory, settings=config, week=WEEK, now=NOW + timedelta(days=5))
    assert sorted(report.sent) == [
        "d***@kalkan.example",
        "o***@kalkan.example",
        "v***@kalkan.example",
    ]
    assert report.without_address == 1 and report.failed == 0
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "dana@kalkan.example",
        "olzhas@kalkan.example",
        "viewer@kalkan.example",
    ], "every active user with an address, viewers included"

    message = smtp_server.messages[0]
    assert message.message["Subject"] == "[Kalkan] Weekly digest 2026-W21"
    text, html = message.texts()
    assert "2026-W21, 18 May – 24 May 2026 (UTC)" in text
    assert "Alerts opened: 3" in text
    assert "  critical  doxxing        1" in text
    assert "  high      threat         1" in text
    assert "  medium    abuse          1" in text
    assert "Alerts escalated (critical, not acknowledged in time): 1" in text
    assert "Alerts acknowledged: 2" in text
    assert "  high      incitement     1" in text, "last week's alert, acknowledged this week"
    assert f"https://kalkan.example/alerts/{week_data['doxxing']}" in text
    assert "Айгерим Нурланова: 2 · 1 · 1 · 0  https://kalkan.example/?defender=aigerim" in text
    assert "Low-severity mentions (stored, no alert): 1" in text
    assert "tg-almaty-news: high, 3 consecutive failed runs" in text
    assert "secret.example" not in text, "raw source errors (URLs, queries) are left out"

    assert "&lt;img src=x onerror=&quot;x()&quot;&gt;" in html
    assert "<img" not in html and "<script" not in html.lower() and 'onerror="' not in html
    assert message.message.get_content_type() == "multipart/alternative"


def test_no_contact_detail_or_post_text_is_in_any_digest(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    send_week(session_factory, settings=mail_settings(settings, smtp_server), week=WEEK, now=NOW)
    assert smtp_server.messages
    for message in smtp_server.messages:
        everything = message.everything()
        assert "7015552347" not in "".join(ch for ch in everything if ch.isdigit())
        for needle in ("555", "aigerim.n", "Звоните", "дура", "конференции"):
            assert needle not in everything


def test_sending_a_week_again_sends_nothing_new(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    config = mail_settings(settings, smtp_server)
    send_week(session_factory, settings=config, week=WEEK, now=NOW)
    again = send_week(session_factory, settings=config, week=WEEK, now=NOW + timedelta(hours=1))
    assert again.sent == [] and again.already_sent == 3
    assert len(smtp_server.messages) == 3
    with session_scope(session_factory) as session:
        rows = session.scalars(select(Digest)).all()
        assert {(r.period, r.sent_at) for r in rows} == {("2026-W21", NOW)}
        assert len(rows) == 3

    with session_scope(session_factory) as session:
        make_user(session, email="aruzhan@kalkan.example")
    late = send_week(session_factory, settings=config, week=WEEK, now=NOW + timedelta(hours=2))
    assert late.sent == ["a***@kalkan.example"], "only the newcomer, who has not had it"


def test_a_dry_run_sends_and_records_nothing(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    with session_scope(session_factory) as session:
        plan = plan_week(session, settings=mail_settings(settings, smtp_server), week=WEEK, now=NOW)
    assert [r.masked for r in plan.to_send] == [
        "o***@kalkan.example",
        "d***@kalkan.example",
        "v***@kalkan.example",
    ]
    assert len(plan.without_address) == 1
    assert "Alerts opened: 3" in plan.digest.text
    assert smtp_server.messages == []
    with session_scope(session_factory) as session:
        assert session.scalars(select(Digest)).all() == []


def test_smtp_down_leaves_every_digest_for_the_next_run(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    config = mail_settings(settings, smtp_server)
    smtp_server.stop()
    down = send_week(session_factory, settings=config, week=WEEK, now=NOW)
    assert (down.sent, down.failed, down.failure) == ([], 3, "ConnectionRefusedError")
    with session_scope(session_factory) as session:
        rows = session.scalars(select(Digest)).all()
        assert [(r.sent_at, r.attempts, r.last_error) for r in rows] == [
            (None, 1, "ConnectionRefusedError")
        ] * 3
        assert mail_status(session, configured=True).unsent_digests == 3
    smtp_server.start()
    up = send_week(session_factory, settings=config, week=WEEK, now=NOW + timedelta(hours=1))
    assert len(up.sent) == 3 and len(smtp_server.messages) == 3


def test_a_refused_recipient_is_retried_and_the_others_are_not_resent(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    config = mail_settings(settings, smtp_server)
    smtp_server.refuse("dana@kalkan.example")
    first = send_week(session_factory, settings=config, week=WEEK, now=NOW)
    assert (len(first.sent), first.failed) == (2, 1)
    smtp_server.refused.clear()
    second = send_week(session_factory, settings=config, week=WEEK, now=NOW + timedelta(hours=1))
    assert second.sent == ["d***@kalkan.example"]
    assert len(smtp_server.messages) == 3


def test_a_digest_another_run_is_sending_is_left_to_it(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    config = mail_settings(settings, smtp_server)
    with session_scope(session_factory) as session:
        plan = plan_week(session, settings=config, week=WEEK, now=NOW)
        first = plan.to_send[0].user_id
        repository.ensure_rows(session, WEEK.label, [first], NOW)
        assert repository.claim(
            session, first, WEEK.label, now=NOW, until=NOW + timedelta(minutes=10)
        )
    report = send_week(session_factory, settings=config, week=WEEK, now=NOW + timedelta(minutes=1))
    assert (len(report.sent), report.busy) == (2, 1)
    later = send_week(session_factory, settings=config, week=WEEK, now=NOW + timedelta(minutes=10))
    assert len(later.sent) == 1, "a lease left by a crashed run runs out"


def test_weeks_are_parsed_strictly_and_future_weeks_refused(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    assert parse_week("2026-W21") == WEEK and parse_week("2020-W53") == Week(2020, 53)
    for bad in ("2026-21", "2026-W5", "2025-W53", "2026-W00", "W21", "2026-w21x"):
        with pytest.raises(InputError):
            parse_week(bad)
    with session_scope(session_factory) as session, pytest.raises(InputError, match="not begun"):
        plan_week(session, settings=settings, week=Week(2026, 22), now=NOW)
    with pytest.raises(ConfigurationError, match="KALKAN_SMTP_HOST"):
        send_week(session_factory, settings=settings, week=WEEK, now=NOW)


def test_week_bounds_follow_the_team_timezone(
    settings: Settings, session_factory: sessionmaker[Session], smtp_server: TestSMTPServer
) -> None:
    """Sunday 23:00 in Almaty is Sunday 18:00 UTC: in the week, in Almaty time, and a
    Monday 01:00 Almaty alert (Sunday 20:00 UTC) already belongs to the next week."""
    with session_scope(session_factory) as session:
        defender = make_defender(session)
        sunday_late = NOW.replace(day=24, hour=18)
        make_alert(session, defender=defender, opened_at=sunday_late, last_post_at=sunday_late)
        monday_early = NOW.replace(day=24, hour=20)
        make_alert(
            session,
            defender=defender,
            category="abuse",
            opened_at=monday_early,
            last_post_at=monday_early,
        )
    almaty = mail_settings(settings, smtp_server, timezone="Asia/Almaty")
    with session_scope(session_factory) as session:
        plan = plan_week(session, settings=almaty, week=WEEK, now=NOW + timedelta(days=7))
    assert "Alerts opened: 1\n  high      threat" in plan.digest.text
    assert "(Asia/Almaty)" in plan.digest.text


def test_the_monday_job_sends_last_week_once_from_the_configured_hour(
    settings: Settings,
    session_factory: sessionmaker[Session],
    smtp_server: TestSMTPServer,
    week_data: dict[str, int],
) -> None:
    config = mail_settings(settings, smtp_server, digest_hour=7)
    monday = NOW.replace(day=25, hour=6, minute=59)  # Monday of 2026-W22, UTC
    assert send_last_week_if_due(session_factory, settings=config, now=monday) is None
    report = send_last_week_if_due(
        session_factory, settings=config, now=monday + timedelta(minutes=1)
    )
    assert report is not None and report.period == "2026-W21" and len(report.sent) == 3
    for hours in (1, 30, 24 * 6):
        again = send_last_week_if_due(
            session_factory, settings=config, now=monday + timedelta(hours=hours)
        )
        assert again is not None and again.sent == []
    assert len(smtp_server.messages) == 3
