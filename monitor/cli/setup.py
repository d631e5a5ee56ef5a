"""Opening the database from a command: build the runtime and bring the schema up to date."""

from __future__ import annotations

from monitor.config import Settings
from monitor.migrations import upgrade_to_head
from monitor.runtime import Runtime, build_runtime


def open_runtime(settings: Settings) -> Runtime:
    """A runtime whose database is migrated to the newest revision (idempotent, fast)."""
    runtime = build_runtime(settings)
    upgrade_to_head(runtime.engine)
    return runtime
