"""The one dialect-specific helper: INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def insert_ignoring_conflicts(
    session: Session,
    model: type[DeclarativeBase],
    rows: Sequence[dict[str, Any]],
    *,
    conflict_columns: Sequence[str],
    returning: Sequence[str] = ("id",),
) -> list[Any]:
    """Insert rows, skipping those that collide on `conflict_columns`; return the new rows.

    Each returned item is the value of `returning` (one column) or a tuple of them.

    Duplicates are skipped by the database itself, so two writers racing on the same post
    cannot both insert it.
    """
    if not rows:
        return []
    table = model.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"upsert is not implemented for {dialect}")
    statement = (
        module.insert(table)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=list(conflict_columns))
        .returning(*(table.c[name] for name in returning))
    )
    result = session.execute(statement)
    if len(returning) == 1:
        return [row[0] for row in result]
    return [tuple(row) for row in result]
