"""Run the Alembic migrations programmatically (`kalkan db upgrade`, tests, the demo)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine

from alembic import command

#: The repository's alembic/ folder (Kalkan runs from a checkout; see README).
ALEMBIC_DIR = Path(__file__).resolve().parents[1] / "alembic"


def alembic_config() -> Config:
    """An Alembic config pointing at the project's migrations."""
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database schema up to the newest revision."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
