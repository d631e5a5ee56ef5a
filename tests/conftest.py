"""Database fixtures: every database test runs on SQLite and on a real PostgreSQL server.

The schema is always built by running the Alembic migrations (never `create_all`). A
template database is migrated once per session; tests that commit get a fresh copy of it,
tests that only need a session get one inside a transaction that is rolled back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import postgres_server
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import make_engine, make_session_factory
from monitor.migrations import upgrade_to_head

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
DIALECTS = ["sqlite", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    """Patched encoder files (classifiers.e5file, 72 MB each) go to a per-run directory, not
    the user's ~/.cache: models trained by tests must not pile up there."""
    if "KALKAN_CACHE_DIR" not in os.environ:
        os.environ["KALKAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="kalkan-test-cache-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop("KALKAN_CACHE_DIR"), True))


def pytest_report_header(config: pytest.Config) -> str:
    return f"kalkan: shared data {'found' if SHARED.exists() else 'ABSENT'} at {SHARED}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database; skips only if none can be had."""
    url = os.environ.get("KALKAN_TEST_POSTGRES_URL", postgres_server.DEFAULT_URL)
    if postgres_server.reachable(url):
        yield url
        return
    try:
        with postgres_server.throwaway_cluster() as started:
            yield started
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc} (install postgresql or run .ci/run)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that tests copy."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> Iterator[str]:
    """A migrated PostgreSQL database used as CREATE DATABASE … TEMPLATE."""
    url = postgres_server.create_database(postgres_url)
    engine = make_engine(url, poolclass=None)
    upgrade_to_head(engine)
    engine.dispose()
    yield url
    postgres_server.drop_database(postgres_url, url)


@pytest.fixture(params=DIALECTS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database of each dialect, for tests that commit."""
    if request.param == "sqlite":
        target = tmp_path / "kalkan.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    server = request.getfixturevalue("postgres_url")
    template = request.getfixturevalue("postgres_template").rsplit("/", 1)[1]
    url = postgres_server.create_database(server, template=template)
    yield url
    postgres_server.drop_database(server, url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """Engine on the fresh database."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory whose sessions really commit (for pipeline and web tests)."""
    return make_session_factory(engine)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test."""
    with engine.connect() as connection:
        outer = connection.begin()
        db = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield db
        finally:
            db.close()
            outer.rollback()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Test settings: a temp data dir (with its own generated secret) and the fresh database."""
    return Settings(env="test", data_dir=tmp_path / "var", database_url=database_url)
