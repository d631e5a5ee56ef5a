"""monitoring requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 16:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitoring_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("handles", sa.Text(), nullable=False),
        sa.Column("message_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_requests")),
    )
    with op.batch_alter_table("monitoring_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_monitoring_requests_status", ["status", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("monitoring_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_monitoring_requests_status")
    op.drop_table("monitoring_requests")
