"""source health alerts: alerts may be about a source instead of a defender

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.alter_column("defender_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("source_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_alerts_source_id_sources"),
            "sources",
            ["source_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_alerts_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    # Source-health alerts have no defender; they cannot survive the old NOT NULL column.
    op.execute("DELETE FROM alerts WHERE defender_id IS NULL")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_source_id"))
        batch_op.drop_constraint(batch_op.f("fk_alerts_source_id_sources"), type_="foreignkey")
        batch_op.drop_column("source_id")
        batch_op.alter_column("defender_id", existing_type=sa.Integer(), nullable=False)
