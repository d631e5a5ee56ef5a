"""The wired-up process: settings, database engine, session factory and derived keys.

Composition roots (`kalkan` commands, the web app factory, the scheduler) build one
`Runtime` and hand its parts down; nothing below them builds engines or reads settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import make_engine, make_session_factory
from monitor.migrations import upgrade_to_head
from monitor.security.keys import Keys, derive_keys


@dataclass(frozen=True)
class Runtime:
    """Everything a process needs to talk to the database and protect data."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    keys: Keys

    def dispose(self) -> None:
        """Close pooled connections (at shutdown)."""
        self.engine.dispose()


def build_runtime(settings: Settings) -> Runtime:
    """Create the engine and keys for these settings (the secret file is created if absent)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    return Runtime(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        keys=derive_keys(settings),
    )


def open_runtime(settings: Settings) -> Runtime:
    """A runtime whose database is migrated to the newest revision (idempotent, fast)."""
    runtime = build_runtime(settings)
    upgrade_to_head(runtime.engine)
    return runtime
