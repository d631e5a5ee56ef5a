"""Mail test helpers: settings pointing at the test SMTP server, and a fictional team."""

from __future__ import annotations

from builders import make_user
from sqlalchemy.orm import Session, sessionmaker
from support.smtp_server import TestSMTPServer

from monitor.config import Settings
from monitor.db import session_scope


def mail_settings(settings: Settings, server: TestSMTPServer, **extra: object) -> Settings:
    """Settings pointing at the test SMTP server, links to a fictional public address."""
    values = {
        "smtp_host": server.host,
        "smtp_port": server.port,
        "smtp_from": "kalkan@kalkan.example",
        "base_url": "https://kalkan.example/",
    }
    return settings.model_copy(update=values | extra)


def team(factory: sessionmaker[Session]) -> dict[str, int]:
    """An officer and an admin who get mail, and a viewer, an inactive officer and an officer
    without an address; returns their ids by those names."""
    with session_scope(factory) as session:
        users = {
            "officer": make_user(session, email="olzhas@kalkan.example"),
            "admin": make_user(session, role="admin", email="dana@kalkan.example"),
            "viewer": make_user(session, role="viewer", email="viewer@kalkan.example"),
            "inactive": make_user(session, is_active=False, email="gone@kalkan.example"),
            "no_email": make_user(session),
        }
        return {name: user.id for name, user in users.items()}
