"""Migrations are tested like code: one head, upgrade, models match, and the stairway."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from alembic import command
from monitor.migrations import alembic_config
from monitor.models import Base


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, "migrations have diverged: run `alembic merge`"


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_stairway_down_and_up(engine: Engine) -> None:
    """Every revision downgrades and upgrades again, one step at a time."""
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    revisions = list(script.walk_revisions("base", "heads"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        for revision in revisions:
            command.downgrade(config, revision.down_revision or "base")
            command.upgrade(config, revision.revision)
    assert "alerts" in inspect(engine).get_table_names()
